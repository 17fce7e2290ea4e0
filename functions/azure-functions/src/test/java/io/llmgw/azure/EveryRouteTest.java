package io.llmgw.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.azure.testing.FakeRequest;
import io.llmgw.azure.testing.FakeResponse;
import io.llmgw.testing.ChatScript;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each function, called through its own trigger method with a request on its route, answers as the gateway does there. */
class EveryRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final String RESPONSES = "{\"model\":\"gpt-4o\",\"input\":\"Hi\"}";
    private static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static FunctionsHarness harness;

    private record Case(FakeRequest request, int status, Consumer<JsonNode> body) {}

    @BeforeAll
    static void start() {
        harness = new FunctionsHarness();
        harness.upstream.handler(ChatScript.text("Hello from upstream").usage(12, 5).handler());
        harness.start();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static JsonNode json(FakeResponse response) {
        try {
            return JSON.readTree(response.bodyText());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + response.bodyText(), e);
        }
    }

    private static Map<String, Case> cases() {
        Consumer<JsonNode> completion = b -> assertThat(b.at("/choices/0/message/content").asText()).isEqualTo("Hello from upstream");
        Consumer<JsonNode> response = b -> assertThat(b.at("/output/0/content/0/text").asText()).isEqualTo("Hello from upstream");
        Consumer<JsonNode> models = b -> assertThat(b.path("object").asText()).isEqualTo("list");
        Consumer<JsonNode> health = b -> assertThat(b.isObject()).isTrue();
        return Map.ofEntries(
                Map.entry("chatCompletions", new Case(harness.authorized("POST", "/v1/chat/completions").json(CHAT), 200, completion)),
                Map.entry("azureV1ChatCompletions", new Case(FakeRequest.of("POST", "/openai/v1/chat/completions")
                        .header("api-key", FunctionsHarness.GATEWAY_KEY).json(CHAT), 200, completion)),
                Map.entry("azureDeploymentChatCompletions", new Case(FakeRequest.of("POST", "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21")
                        .header("api-key", FunctionsHarness.GATEWAY_KEY).json(CHAT.replace("\"model\":\"gpt-4o\",", "")), 200, completion)),
                Map.entry("responses", new Case(harness.authorized("POST", "/v1/responses").json(RESPONSES), 200, response)),
                Map.entry("azureV1Responses", new Case(harness.authorized("POST", "/openai/v1/responses").json(RESPONSES), 200, response)),
                Map.entry("azureResponses", new Case(FakeRequest.of("POST", "/openai/responses?api-version=2025-03-01-preview")
                        .header("api-key", FunctionsHarness.GATEWAY_KEY).json(RESPONSES), 200, response)),
                Map.entry("messages", new Case(FakeRequest.of("POST", "/v1/messages").header("x-api-key", FunctionsHarness.GATEWAY_KEY)
                        .header("anthropic-version", "2023-06-01").json(MESSAGES), 200,
                        b -> assertThat(b.at("/content/0/text").asText()).isEqualTo("Hello from upstream"))),
                Map.entry("countTokens", new Case(FakeRequest.of("POST", "/v1/messages/count_tokens").header("x-api-key", FunctionsHarness.GATEWAY_KEY)
                        .header("anthropic-version", "2023-06-01").json(MESSAGES.replace("\"max_tokens\":100,", "")), 200,
                        b -> assertThat(b.path("input_tokens").asInt()).isPositive())),
                Map.entry("models", new Case(harness.authorized("GET", "/v1/models"), 200, models)),
                Map.entry("azureV1Models", new Case(harness.authorized("GET", "/openai/v1/models"), 200, models)),
                Map.entry("health", new Case(FakeRequest.of("GET", "/health"), 200, health)),
                Map.entry("healthLive", new Case(FakeRequest.of("GET", "/health/live"), 200, health)),
                Map.entry("healthReady", new Case(FakeRequest.of("GET", "/health/ready"), 200, health)),
                Map.entry("healthProviders", new Case(harness.authorized("GET", "/health/providers"), 200, health)),
                Map.entry("config", new Case(harness.authorized("GET", "/config"), 200,
                        b -> assertThat(b.toString()).contains("openai").doesNotContain(FunctionsHarness.UPSTREAM_KEY, FunctionsHarness.GATEWAY_KEY))),
                Map.entry("fallback", new Case(FakeRequest.of("GET", "/v2/unknown"), 404,
                        b -> assertThat(b.at("/error/code").asText()).isEqualTo("unknown_url"))));
    }

    static Stream<Arguments> functions() {
        return FunctionsHarness.routes().keySet().stream().map(Arguments::of);
    }

    @Test
    void theFunctionsAreTheGatewaysRoutes() {
        assertThat(FunctionsHarness.routes()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("chatCompletions", "v1/chat/completions"),
                Map.entry("azureV1ChatCompletions", "openai/v1/chat/completions"),
                Map.entry("azureDeploymentChatCompletions", "openai/deployments/{deployment}/chat/completions"),
                Map.entry("responses", "v1/responses"),
                Map.entry("azureV1Responses", "openai/v1/responses"),
                Map.entry("azureResponses", "openai/responses"),
                Map.entry("messages", "v1/messages"),
                Map.entry("countTokens", "v1/messages/count_tokens"),
                Map.entry("models", "v1/models"),
                Map.entry("azureV1Models", "openai/v1/models"),
                Map.entry("health", "health"),
                Map.entry("healthLive", "health/live"),
                Map.entry("healthReady", "health/ready"),
                Map.entry("healthProviders", "health/providers"),
                Map.entry("config", "config"),
                Map.entry("fallback", "{*path}")));
        assertThat(cases()).as("a case below for every function").containsOnlyKeys(FunctionsHarness.routes().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void answersOnItsRoute(String function) {
        Case c = cases().get(function);
        FakeResponse response = harness.call(function, c.request());

        assertThat(response.getStatusCode()).as(function + ": " + response.bodyText()).isEqualTo(c.status());
        assertThat(response.getHeader("content-type")).startsWith("application/json");
        assertThat(response.getHeader("x-request-id")).isNotBlank();
        c.body().accept(json(response));
    }

    /** Stored Responses have no trigger of their own: the catch-all serves {@code GET} and {@code DELETE /v1/responses/{id}}. */
    @Test
    void theCatchAllServesStoredResponses() {
        JsonNode created = json(harness.call("responses", harness.authorized("POST", "/v1/responses").json(RESPONSES)));
        String path = "/v1/responses/" + created.path("id").asText();

        FakeResponse read = harness.call("fallback", harness.authorized("GET", path));
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(json(read)).isEqualTo(created);
        assertThat(json(harness.call("fallback", harness.authorized("GET", path + "/input_items"))).at("/data/0/content/0/text").asText())
                .isEqualTo("Hi");
        assertThat(harness.call("fallback", harness.authorized("DELETE", path)).getStatusCode()).isEqualTo(200);
        assertThat(harness.call("fallback", harness.authorized("GET", path)).getStatusCode()).isEqualTo(404);
    }

    @Test
    void theRootAnswersHeadAndGetForClaudeCodesProbe() {
        FakeResponse head = harness.call("fallback", FakeRequest.of("HEAD", "/"));
        assertThat(head.getStatusCode()).isEqualTo(200);
        assertThat(head.getBody()).as("HEAD has no body").isNull();
        assertThat(harness.call("fallback", FakeRequest.of("GET", "/")).getStatusCode()).isEqualTo(200);
    }
}
