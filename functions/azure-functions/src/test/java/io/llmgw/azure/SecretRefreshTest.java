package io.llmgw.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.Gateway;
import io.llmgw.core.LiveGateway;
import io.llmgw.core.secrets.SecretSource;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An unknown client key asks for the secrets to be read again; the function hands the refresh to
 * its executor once the response is built (in production a virtual thread, so the 401 is not
 * delayed by a Key Vault call), and the next invocation serves with the new values.
 */
class SecretRefreshTest {
    private static final String NEW_KEY = "gw-rotated-key-0123456789abcdef012345";
    private final Map<String, String> store = new ConcurrentHashMap<>(Map.of("PROXY_API_KEY", FunctionsHarness.GATEWAY_KEY));
    private final MutableClock clock = new MutableClock();
    private final List<Runnable> refreshes = new ArrayList<>();
    private final FunctionsHarness harness = new FunctionsHarness();

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aRotatedKeyIsServedAfterTheRefreshTheUnknownKeyAskedFor() {
        SecretVariables secrets = new SecretVariables(new SecretSource() {
            @Override
            public Snapshot read() {
                return new Snapshot(Map.copyOf(store), null);
            }

            @Override
            public String name() {
                return "test store";
            }
        }, clock);
        secrets.load();
        harness.env.remove("PROXY_API_KEY");
        harness.start(new LiveGateway(harness.env::get, secrets,
                (config, events) -> new Gateway(config, Gateway.Options.defaults().withEvents(events))), refreshes::add);

        assertThat(harness.call("models", harness.authorized("GET", "/v1/models")).getStatusCode()).isEqualTo(200);
        assertThat(refreshes).isEmpty();

        store.put("PROXY_API_KEY", NEW_KEY);
        clock.advance(Duration.ofMinutes(2));
        var withNewKey = io.llmgw.azure.testing.FakeRequest.of("GET", "/v1/models").header("authorization", "Bearer " + NEW_KEY);
        assertThat(harness.call("models", withNewKey).getStatusCode()).isEqualTo(401);
        assertThat(refreshes).as("the refresh is handed over after the response").hasSize(1);

        refreshes.get(0).run();
        assertThat(harness.call("models", withNewKey).getStatusCode()).isEqualTo(200);
        assertThat(harness.call("models", harness.authorized("GET", "/v1/models")).getStatusCode()).isEqualTo(401);
    }
}
