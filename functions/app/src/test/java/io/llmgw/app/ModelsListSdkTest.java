package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.models.ModelInfo;
import com.openai.models.models.Model;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code models.list()} from openai-java and anthropic-java against the usual wildcard setup (one
 * {@code "*"} route to an upstream, no model named): the upstream's own models, as it describes them.
 */
class ModelsListSdkTest {
    private static final String OPENAI_LIST = "{\"object\":\"list\",\"data\":["
            + "{\"id\":\"gpt-4.1\",\"object\":\"model\",\"created\":1744316542,\"owned_by\":\"system\"},"
            + "{\"id\":\"o4-mini\",\"object\":\"model\",\"created\":1744225351,\"owned_by\":\"system\"}]}";
    private static final String ANTHROPIC_LIST = "{\"data\":["
            + "{\"type\":\"model\",\"id\":\"claude-opus-4-6\",\"display_name\":\"Claude Opus 4.6\",\"created_at\":\"2026-02-05T00:00:00Z\","
            + "\"lifecycle\":\"active\",\"max_tokens\":128000},"
            + "{\"type\":\"model\",\"id\":\"claude-haiku-4-5-20251001\",\"display_name\":\"Claude Haiku 4.5\","
            + "\"created_at\":\"2025-10-15T00:00:00Z\",\"lifecycle\":\"active\",\"max_tokens\":64000}],"
            + "\"has_more\":false,\"first_id\":\"claude-opus-4-6\",\"last_id\":\"claude-haiku-4-5-20251001\"}";
    private final FakeUpstream upstream = FakeUpstream.start();
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private void start(String type, String auth, String extraModels) {
        gateway = TestGateway.start("""
                auth: %s
                providers:
                  up: { type: %s, base_url: "%s", %s timeout: 5s }
                models:
                %s  "*": { deployments: [ { provider: up } ] }
                """.formatted(auth, type, upstream.baseUrl() + (type.equals("openai") ? "/v1" : ""),
                auth.contains("client") ? "" : "api_key: \"${UP_KEY}\",", extraModels));
    }

    @Test
    void openAiSdkListsTheUpstreamsModels() {
        upstream.handler(request -> Reply.json(200, OPENAI_LIST));
        start("openai", "{ mode: gateway, keys: [\"${GW_KEY}\"] }", "");

        List<Model> models = gateway.openAi().models().list().data();
        List<Model> again = gateway.openAi().models().list().data();

        assertThat(models).extracting(Model::id).containsExactly("gpt-4.1", "o4-mini");
        models.forEach(Model::validate);
        assertThat(models.get(0).created()).isEqualTo(1744316542L);
        assertThat(models.get(0).ownedBy()).isEqualTo("system");
        assertThat(again).isEqualTo(models);
        assertThat(upstream.requests()).as("kept for a while, not asked per call").hasSize(1);
        RecordedRequest asked = upstream.lastRequest();
        assertThat(asked.method() + " " + asked.path()).isEqualTo("GET /v1/models");
        assertThat(asked.header("authorization")).isEqualTo("Bearer " + TestGateway.UPSTREAM_KEY);
    }

    @Test
    void anthropicSdkListsTheUpstreamsModelsAsAnthropicDescribesThem() {
        upstream.handler(request -> Reply.json(200, ANTHROPIC_LIST));
        start("anthropic", "{ mode: gateway, keys: [\"${GW_KEY}\"] }", "");

        List<ModelInfo> models = gateway.anthropic().models().list().data();

        assertThat(models).extracting(ModelInfo::id).containsExactly("claude-opus-4-6", "claude-haiku-4-5-20251001");
        models.forEach(ModelInfo::validate);
        assertThat(models.get(0).displayName()).isEqualTo("Claude Opus 4.6");
        assertThat(models.get(0).createdAt()).isEqualTo(OffsetDateTime.parse("2026-02-05T00:00:00Z"));
        assertThat(models.get(0).maxTokens()).contains(128_000L);
        RecordedRequest asked = upstream.lastRequest();
        assertThat(asked.path()).isEqualTo("/v1/models");
        assertThat(asked.query()).isEqualTo("limit=1000");
        assertThat(asked.header("x-api-key")).isEqualTo(TestGateway.UPSTREAM_KEY);
        assertThat(asked.header("anthropic-version")).isNotBlank();
    }

    @Test
    void anthropicSdkListsAnOpenAiUpstreamsModelsInItsShape() {
        upstream.handler(request -> Reply.json(200, OPENAI_LIST));
        start("openai", "{ mode: gateway, keys: [\"${GW_KEY}\"] }", "  gpt-4o: { deployments: [ { provider: up, model: gpt-4o-prod } ] }\n");

        List<ModelInfo> models = gateway.anthropic().models().list().data();

        assertThat(models).extracting(ModelInfo::id).containsExactly("gpt-4o", "gpt-4.1", "o4-mini");
        models.forEach(ModelInfo::validate);
        assertThat(models.get(1).createdAt().toEpochSecond()).isEqualTo(1744316542L);
    }

    /** Client mode: the caller's own key asks for the list, and a list one key got is never shown to another. */
    @Test
    void clientModeAsksWithTheCallersKeyAndFallsBackToTheConfiguredNames() {
        String good = "sk-caller-good-0123456789abcdef";
        upstream.handler(request -> ("Bearer " + good).equals(request.header("authorization")) ? Reply.json(200, OPENAI_LIST)
                : Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}"));
        start("openai", "{ mode: client }", "  my-alias: { deployments: [ { provider: up, model: gpt-4.1 } ] }\n");

        List<String> withGoodKey = gateway.openAi(good).models().list().data().stream().map(Model::id).toList();
        List<String> withOtherKey = gateway.openAi("sk-caller-other-0123456789abcd").models().list().data().stream().map(Model::id).toList();

        assertThat(withGoodKey).containsExactly("my-alias", "gpt-4.1", "o4-mini");
        assertThat(withOtherKey).as("the upstream refused this key: the configured names only").containsExactly("my-alias");
        assertThat(upstream.requests()).extracting(r -> r.header("authorization"))
                .containsExactly("Bearer " + good, "Bearer sk-caller-other-0123456789abcd");
    }
}
