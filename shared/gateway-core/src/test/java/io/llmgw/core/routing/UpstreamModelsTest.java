package io.llmgw.core.routing;

import io.llmgw.core.spi.Upstreams;


import io.llmgw.core.relay.Relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.auth.Credential;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.upstream.UpstreamClient;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamModelsTest {
    private static final String LIST = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"created\":1715367049,\"owned_by\":\"system\"},"
            + "{\"id\":\"o3\",\"owned_by\":\"system\"},{\"id\":\"claude-x\"}]}";
    private final FakeUpstream upstream = FakeUpstream.start();
    private final UpstreamClient client = new UpstreamClient();
    private final AtomicLong nanos = new AtomicLong();

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    private UpstreamModels models(String yaml) throws Exception {
        Path file = Files.createTempFile("models", ".yaml");
        Files.writeString(file, yaml.replace("FAKE", upstream.baseUrl()));
        GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
        Files.delete(file);
        return new UpstreamModels(config, new ModelRouter(config), new Relay(client), new Upstreams(config), nanos::get);
    }

    private static final String CLIENT_MODE = """
            auth: { mode: client }
            providers:
              up: { type: openai, base_url: "FAKE/v1" }
              other: { type: openai, base_url: "FAKE/other" }
            models:
              "claude-*": { deployments: [ { provider: other } ] }
              "*": { deployments: [ { provider: up } ] }
            """;

    private static List<String> ids(List<UpstreamModels.Listed> listed) {
        return listed.stream().map(UpstreamModels.Listed::id).toList();
    }

    private List<UpstreamModels.Listed> list(UpstreamModels models, String key) {
        return models.list(new Credential(key, null, null), new RequestContext("req_models", System.nanoTime()));
    }

    @Test
    void listsWhatTheWildcardsUpstreamListsWithTheCallersKeyAndKeepsItForAMinute() throws Exception {
        upstream.handler(request -> request.path().equals("/v1/models") ? Reply.json(200, LIST) : Reply.json(404, "{}"));
        UpstreamModels models = models(CLIENT_MODE);

        List<UpstreamModels.Listed> first = list(models, "sk-caller-a");
        List<UpstreamModels.Listed> again = list(models, "sk-caller-a");

        // claude-x routes to the claude-* entry, whose upstream is not asked (its own list would say)
        assertThat(ids(first)).containsExactly("gpt-4o", "o3");
        assertThat(first.get(0)).isEqualTo(new UpstreamModels.Listed("gpt-4o", 1715367049L, "system", null, null));
        assertThat(again).isEqualTo(first);
        assertThat(upstream.requests()).hasSize(2);  // claude-* has no fixed model either: its provider is asked once too
        assertThat(upstream.requests().stream().filter(r -> r.path().equals("/v1/models")).map(r -> r.header("authorization")))
                .containsExactly("Bearer sk-caller-a");

        nanos.addAndGet(UpstreamModels.FRESH_FOR.toNanos());
        list(models, "sk-caller-a");
        assertThat(upstream.requests()).hasSize(4);
    }

    @Test
    void eachKeyHasItsOwnListAndTheCacheIsBounded() throws Exception {
        upstream.handler(request -> Reply.json(200, LIST));
        UpstreamModels models = models(CLIENT_MODE.replace("  \"claude-*\": { deployments: [ { provider: other } ] }\n", ""));

        list(models, "sk-caller-a");
        list(models, "sk-caller-b");
        list(models, "sk-caller-a");
        assertThat(upstream.requests().stream().map(r -> r.header("authorization")))
                .containsExactly("Bearer sk-caller-a", "Bearer sk-caller-b");

        for (int i = 0; i < UpstreamModels.MAX_LISTS; i++) {
            list(models, "sk-caller-" + i);
        }
        int before = upstream.requests().size();
        list(models, "sk-caller-a");  // pushed out by the 32 newer lists
        assertThat(upstream.requests()).hasSize(before + 1);
    }

    @Test
    void aFailedListIsNothingAndIsAskedAgainSoonerThanAGoodOne() throws Exception {
        upstream.handler(request -> Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key\"}}"));
        UpstreamModels models = models(CLIENT_MODE.replace("  \"claude-*\": { deployments: [ { provider: other } ] }\n", ""));

        assertThat(list(models, "sk-wrong")).isEmpty();
        assertThat(list(models, "sk-wrong")).isEmpty();
        assertThat(upstream.requests()).hasSize(1);

        nanos.addAndGet(UpstreamModels.FAILED_FOR.toNanos());
        upstream.handler(request -> Reply.json(200, "not json"));
        assertThat(list(models, "sk-wrong")).isEmpty();
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void theConfiguredKeyIsUsedWhenTheCallerPresentedAGatewayKey() throws Exception {
        upstream.handler(request -> Reply.json(200, LIST));
        UpstreamModels models = models("""
                auth: { mode: gateway, keys: ["gw-key-0123456789abcdef0123456789abcdef"] }
                providers:
                  up: { type: openai, base_url: "FAKE/v1", api_key: sk-configured-upstream-key }
                models:
                  "*": { deployments: [ { provider: up } ] }
                """);

        assertThat(ids(list(models, null))).containsExactly("gpt-4o", "o3", "claude-x");
        RecordedRequest sent = upstream.lastRequest();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-configured-upstream-key");
    }

    @Test
    void routesThatNameTheirModelAndAzureAreNotAsked() throws Exception {
        upstream.handler(request -> Reply.json(200, LIST));
        UpstreamModels models = models("""
                auth: { mode: client }
                providers:
                  up: { type: openai, base_url: "FAKE/v1" }
                  azure: { type: azure-openai, base_url: "FAKE" }
                models:
                  "gpt-*": { deployments: [ { provider: up, model: gpt-4o-prod } ] }
                  "*": { deployments: [ { provider: azure } ] }
                """);

        assertThat(list(models, "sk-caller")).isEmpty();
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aBackendUrlServersListBesideItsChatUrlIsAsked() {
        upstream.handler(request -> Reply.json(200, LIST));
        GatewayConfig config = ConfigLoader.load(Map.of("BACKEND_URL", upstream.baseUrl() + "/v1/chat/completions"));
        UpstreamModels models = new UpstreamModels(config, new ModelRouter(config), new Relay(client), new Upstreams(config), nanos::get);

        assertThat(ids(list(models, "sk-caller"))).containsExactly("gpt-4o", "o3", "claude-x");
        assertThat(upstream.lastRequest().path()).isEqualTo("/v1/models");
    }
}
