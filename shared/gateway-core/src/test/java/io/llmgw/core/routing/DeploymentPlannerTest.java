package io.llmgw.core.routing;

import io.llmgw.core.provider.openai.OpenAiSettings;

import io.llmgw.core.spi.Deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.resilience.HealthRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Strategy distributions and choices, over many picks. */
class DeploymentPlannerTest {
    private final HealthRegistry health = new HealthRegistry(ConfigLoader.load(Map.of("GATEWAY_MOCK", "1")), Clock.systemUTC());
    private final DeploymentPlanner planner = new DeploymentPlanner(health);

    private static Deployment deployment(String name, int weight, Integer window, GatewayConfig.Cost cost) {
        GatewayConfig.Provider provider = new GatewayConfig.Provider(name, "openai", null, Duration.ofSeconds(1), Duration.ofSeconds(1),
                null, new OpenAiSettings(URI.create("http://127.0.0.1:1/v1"), null, false));
        return new Deployment(provider, name + "-model", null, null, weight, window, cost);
    }

    private static Route route(GatewayConfig.Strategy strategy, Deployment... deployments) {
        return new Route("m", "m", List.of(deployments), strategy, false);
    }

    private Map<String, Integer> firstPicks(Route route, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(planner.order(route, 100, null).get(0).provider().name(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void priorityKeepsTheConfiguredOrder() {
        Route route = route(GatewayConfig.Strategy.PRIORITY, deployment("a", 1, null, null), deployment("b", 1, null, null));
        assertThat(planner.order(route, 10, null)).extracting(d -> d.provider().name()).containsExactly("a", "b");
    }

    @Test
    void roundRobinSpreadsEvenlyOverAThousandPicks() {
        Route route = route(GatewayConfig.Strategy.ROUND_ROBIN, deployment("a", 1, null, null), deployment("b", 1, null, null),
                deployment("c", 1, null, null));
        Map<String, Integer> counts = firstPicks(route, 1000);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(333, 334));
        // the rest of each plan is the failover order, every deployment once
        assertThat(planner.order(route, 10, null)).extracting(d -> d.provider().name()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void weightedFollowsTheWeightsOverAThousandPicks() {
        Route route = route(GatewayConfig.Strategy.WEIGHTED, deployment("a", 1, null, null), deployment("b", 3, null, null),
                deployment("c", 6, null, null));
        Map<String, Integer> counts = firstPicks(route, 1000);
        // expected 100 / 300 / 600; bounds are about four standard deviations wide
        assertThat(counts.get("a")).isBetween(50, 150);
        assertThat(counts.get("b")).isBetween(220, 380);
        assertThat(counts.get("c")).isBetween(520, 680);
    }

    @Test
    void leastLatencyMovesTrafficAwayFromASlowedDeployment() {
        Deployment a = deployment("a", 1, null, null);
        Deployment b = deployment("b", 1, null, null);
        Route route = route(GatewayConfig.Strategy.LEAST_LATENCY, a, b);
        for (int i = 0; i < 5; i++) {
            health.deployment(a.label()).success(Duration.ofMillis(50).toNanos());
            health.deployment(b.label()).success(Duration.ofMillis(80).toNanos());
        }
        assertThat(firstPicks(route, 100)).containsEntry("a", 100);

        for (int i = 0; i < 5; i++) {
            health.deployment(a.label()).success(Duration.ofMillis(900).toNanos());
        }
        assertThat(firstPicks(route, 100)).containsEntry("b", 100);
    }

    @Test
    void leastLatencyTriesAnUnmeasuredDeploymentFirst() {
        Deployment a = deployment("a", 1, null, null);
        health.deployment(a.label()).success(Duration.ofMillis(10).toNanos());
        Route route = route(GatewayConfig.Strategy.LEAST_LATENCY, a, deployment("fresh", 1, null, null));
        assertThat(planner.order(route, 10, null).get(0).provider().name()).isEqualTo("fresh");
    }

    @Test
    void costPicksTheCheapestDeploymentWhoseWindowFits() {
        Route route = route(GatewayConfig.Strategy.COST,
                deployment("pricey", 1, 200_000, new GatewayConfig.Cost(15, 75)),
                deployment("cheap-small", 1, 8_000, new GatewayConfig.Cost(0.1, 0.4)),
                deployment("cheap-large", 1, 128_000, new GatewayConfig.Cost(0.5, 1.5)),
                deployment("unpriced", 1, null, null));
        assertThat(planner.order(route, 2_000, null)).extracting(d -> d.provider().name())
                .containsExactly("cheap-small", "cheap-large", "pricey", "unpriced");
        assertThat(planner.order(route, 50_000, null)).extracting(d -> d.provider().name())
                .containsExactly("cheap-large", "pricey", "unpriced");
    }

    @Test
    void deploymentsTooSmallForTheRequestAreLeftOutOfEveryStrategy() {
        Route route = route(GatewayConfig.Strategy.PRIORITY, deployment("small", 1, 4_000, null), deployment("large", 1, 100_000, null));
        assertThat(planner.order(route, 10_000, null)).extracting(d -> d.provider().name()).containsExactly("large");
    }
}
