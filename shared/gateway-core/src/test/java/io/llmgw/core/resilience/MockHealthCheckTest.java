package io.llmgw.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.upstream.UpstreamClient;
import io.llmgw.core.spi.Upstreams;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Active health checks reach the mock like any upstream: its models route, in-process. */
class MockHealthCheckTest {
    @Test
    void theMockPassesItsHealthCheck() {
        GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_MOCK", "1"));
        HealthRegistry health = new HealthRegistry(config, Clock.systemUTC());
        Upstreams upstreams = new Upstreams(config);
        try (UpstreamClient client = new UpstreamClient(upstreams.inProcess());
             HealthChecker checker = new HealthChecker(config, health, client, upstreams)) {
            checker.check(config.providers().get("mock"));
        }

        assertThat(health.probes().get("mock").ok()).isTrue();
        assertThat(health.probes().get("mock").detail()).isEqualTo("HTTP 200");
    }
}
