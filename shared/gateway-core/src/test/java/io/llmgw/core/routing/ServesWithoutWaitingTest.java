package io.llmgw.core.routing;

import io.llmgw.core.upstream.OtherThreadTransport;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.state.ForwardingStateStore;
import io.llmgw.core.state.InMemoryStateStore;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which requests a platform may serve on the thread that read them: model calls, and only when their
 * answers come through a transport of their own and nothing on the way can wait.
 */
class ServesWithoutWaitingTest {
    private static final String YAML = "auth: { mode: gateway, keys: [\"${KEY}\"] }\n"
            + GatewayHarness.oneOpenAiModel("http://127.0.0.1:9");

    @Test
    void modelCallsThroughATransportOfTheirOwnWithAStoreInMemory() throws Exception {
        try (OtherThreadTransport transport = new OtherThreadTransport(); Gateway gateway = gateway(transport, null)) {
            assertThat(gateway.servesWithoutWaiting("POST", "/v1/chat/completions")).isTrue();
            assertThat(gateway.servesWithoutWaiting("POST", "/v1/messages")).isTrue();
            assertThat(gateway.servesWithoutWaiting("POST", "/v1/responses")).isTrue();
            assertThat(gateway.servesWithoutWaiting("GET", "/v1/models")).as("the models list waits for upstreams").isFalse();
            assertThat(gateway.servesWithoutWaiting("GET", "/health")).isFalse();
            assertThat(gateway.servesWithoutWaiting("POST", "/no/such/route")).isFalse();
        }
    }

    @Test
    void notWithTheBlockingClient() throws Exception {
        try (Gateway gateway = gateway(null, null)) {
            assertThat(gateway.servesWithoutWaiting("POST", "/v1/chat/completions")).isFalse();
        }
    }

    @Test
    void notWithASharedStore() throws Exception {
        StateStore shared = new ForwardingStateStore(new InMemoryStateStore()) {
            @Override
            public String kind() {
                return "redis";
            }
        };
        try (OtherThreadTransport transport = new OtherThreadTransport(); Gateway gateway = gateway(transport, shared)) {
            assertThat(gateway.servesWithoutWaiting("POST", "/v1/chat/completions")).isFalse();
        }
    }

    private static Gateway gateway(OtherThreadTransport transport, StateStore store) throws Exception {
        Path file = Files.createTempFile("routing", ".yaml");
        Files.writeString(file, YAML);
        try {
            Gateway.Options options = new Gateway.Options(GatewayEvents.NONE, Clock.systemUTC(), Metrics.NONE).withTransport(transport);
            return new Gateway(ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "KEY", GatewayHarness.KEY)),
                    store == null ? options : options.withStateStore(store));
        } finally {
            Files.delete(file);
        }
    }
}
