package io.llmgw.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.spi.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static Deployment named(String model) {
        return new Deployment(null, model, null, null, 1, null, null, null, "p/" + model);
    }

    @Test
    void narrowedToTheDeploymentsKeptInTheirOrder() {
        Route route = new Route("alias", "alias", List.of(named("a"), named("b"), named("c")));
        Route narrowed = route.only(d -> !d.upstreamModel().equals("b"));
        assertThat(narrowed.deployments()).extracting(Deployment::upstreamModel).containsExactly("a", "c");
        assertThat(narrowed.requestedModel()).isEqualTo("alias");
        assertThat(route.deployments()).hasSize(3);
    }

    @Test
    void aRouteWhoseDeploymentsAllStayIsItself() {
        Route route = new Route("alias", "alias", List.of(named("a"), named("b")));
        assertThat(route.only(d -> true)).isSameAs(route);
    }
}
