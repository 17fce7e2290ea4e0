package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.secrets.SecretSource;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The app with secrets from a store (Key Vault in production, here one in memory behind the same
 * port): a client presenting a key rotated in the store gets a 401, the server refreshes the
 * secrets after that response on its own thread, and the key is accepted from then on.
 */
class SecretRefreshTest {
    private static final String OLD_KEY = "gw-old-0123456789abcdef0123456789abcdef";
    private static final String NEW_KEY = "gw-new-0123456789abcdef0123456789abcdef";

    @Test
    void aKeyRotatedInTheStoreIsAcceptedAfterTheRefreshItsFirst401AskedFor() throws Exception {
        Map<String, String> store = new ConcurrentHashMap<>(Map.of("PROXY_API_KEY", OLD_KEY));
        MutableClock clock = new MutableClock();
        SecretVariables secrets = new SecretVariables(new SecretSource() {
            @Override
            public Snapshot read() {
                return new Snapshot(Map.copyOf(store), null);
            }

            @Override
            public String name() {
                return "in-memory store";
            }
        }, clock);
        secrets.load();
        // An upstream key puts the gateway in gateway mode, where only gateway keys are accepted.
        Map<String, String> env = Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", "OPENAI_API_KEY", "sk-upstream-0123456789",
                "HEALTH_CHECK_INTERVAL_MS", "off");
        Function<String, String> variables = env::get;
        try (ConfigurableApplicationContext app = GatewayApplication.start(
                ConfigLoader.load(SecretVariables.layered(variables, secrets.values())),
                new GatewayApplication.VaultVariables(variables, secrets), 0, GatewayApplication.DEFAULT_SHUTDOWN_GRACE)) {
            int port = app.getBean(GatewayServer.class).port();
            HttpClient http = HttpClient.newHttpClient();
            Function<String, Integer> models = key -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                            .header("authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(models.apply(OLD_KEY)).isEqualTo(200);

            store.put("PROXY_API_KEY", NEW_KEY);
            clock.advance(Duration.ofMinutes(2));
            assertThat(models.apply(NEW_KEY)).isEqualTo(401);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status = 401;
            while (status != 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                status = models.apply(NEW_KEY);
            }
            assertThat(status).as("accepted once the background refresh ran").isEqualTo(200);
            assertThat(models.apply(OLD_KEY)).isEqualTo(401);
        }
    }
}
