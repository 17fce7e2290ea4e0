package io.llmgw.keyvault;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.http.Headers;
import io.llmgw.core.LiveGateway;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.MutableClock;
import io.llmgw.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key rotated in Key Vault reaches a running gateway: a client's unknown key or the upstream
 * rejecting the gateway's key (401) asks for a refresh, which reads the vault at most once a
 * minute and rebuilds the gateway from the new values.
 */
class KeyVaultRotationTest {
    private static final String OLD_GATEWAY_KEY = "gw-old-key-0123456789abcdef0123456789";
    private static final String NEW_GATEWAY_KEY = "gw-new-key-0123456789abcdef0123456789";
    private final VaultFixture fixture = new VaultFixture();
    private final MutableClock clock = new MutableClock();
    private FakeUpstream upstream;
    private volatile String upstreamAccepts = "sk-upstream-1";
    private LiveGateway live;

    @BeforeEach
    void start() {
        upstream = FakeUpstream.start().handler(request -> ("Bearer " + upstreamAccepts).equals(request.header("authorization"))
                ? ChatScript.text("Hello").reply(request)
                : Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        fixture.vault.put("gw-PROXY-API-KEY", OLD_GATEWAY_KEY).put("gw-OPENAI-API-KEY", "sk-upstream-1");
        Map<String, String> env = Map.of("KEY_VAULT_URI", fixture.vault.vaultUrl(), "KEY_VAULT_SECRET_PREFIX", "gw-",
                "OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
        SecretVariables secrets = new SecretVariables(fixture.source(fixture.settings("gw-"), clock), clock);
        secrets.load();
        live = new LiveGateway(env::get, secrets, (config, events) -> new Gateway(config, Gateway.Options.defaults().withEvents(events)));
    }

    @AfterEach
    void stop() {
        live.close();
        upstream.close();
        fixture.close();
    }

    private int chat(String key) {
        byte[] body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}".getBytes(StandardCharsets.UTF_8);
        BufferingSink sink = new BufferingSink();
        live.handle(new GatewayRequest("POST", "/v1/chat/completions", null,
                Headers.of("authorization", "Bearer " + key, "content-type", "application/json"), body, "127.0.0.1", null), sink);
        live.refreshIfRequested();  // as a platform does once the response is out
        return sink.status();
    }

    @Test
    void aRotatedGatewayKeyIsReadAfterAnUnknownKeyAtMostOncePerMinute() {
        assertThat(chat(OLD_GATEWAY_KEY)).isEqualTo(200);
        long reads = fixture.vault.valueReads();

        fixture.vault.put("gw-PROXY-API-KEY", NEW_GATEWAY_KEY);
        assertThat(chat(NEW_GATEWAY_KEY)).isEqualTo(401);
        assertThat(fixture.vault.valueReads()).as("read less than a minute ago: not read again").isEqualTo(reads);

        clock.advance(Duration.ofSeconds(61));
        assertThat(chat(NEW_GATEWAY_KEY)).as("this request asks for the refresh").isEqualTo(401);
        assertThat(fixture.vault.valueReads()).isEqualTo(reads + 2);
        assertThat(chat(NEW_GATEWAY_KEY)).isEqualTo(200);
        assertThat(chat(OLD_GATEWAY_KEY)).isEqualTo(401);
    }

    @Test
    void anUpstream401ReadsTheRotatedUpstreamKey() {
        clock.advance(Duration.ofSeconds(61));
        upstreamAccepts = "sk-upstream-2";
        fixture.vault.put("gw-OPENAI-API-KEY", "sk-upstream-2");

        assertThat(chat(OLD_GATEWAY_KEY)).as("the upstream refuses the old key: upstream_credential_rejected").isEqualTo(502);
        assertThat(chat(OLD_GATEWAY_KEY)).isEqualTo(200);
        assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-upstream-2");
    }

    @Test
    void aFailedRefreshKeepsServingWithTheLoadedValues() {
        clock.advance(Duration.ofSeconds(61));
        fixture.vault.denyAll(true);
        assertThat(chat(NEW_GATEWAY_KEY)).isEqualTo(401);
        assertThat(chat(OLD_GATEWAY_KEY)).isEqualTo(200);
    }
}
