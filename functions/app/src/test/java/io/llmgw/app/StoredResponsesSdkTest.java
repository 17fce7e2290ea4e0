package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.inputitems.InputItemListParams;
import io.llmgw.state.dynamodb.LocalStateTable;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.LocalDynalite;
import io.llmgw.testing.LocalRedis;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stored Responses through openai-java's Responses API against the running app, in front of an Anthropic
 * upstream and a chat-completions upstream, on each state store (memory, Redis, DynamoDB): a three-turn
 * conversation that continues only through {@code previous_response_id} — a function call and its output in
 * the middle — sends the upstream the whole history every turn; {@code retrieve} returns what was created,
 * another key finds nothing, and after {@code delete} the id is gone.
 */
class StoredResponsesSdkTest extends SdkAgainstFakeUpstream {
    static final String OTHER_KEY = "other-gateway-key-0123456789abcdef012345";
    private static final String SIGNATURE = "EqQBCkgIBRABGAIiQJ3dXl0mJ8ZkS0rWn7CeQ4u1d2bI3xTq0gS1c5kUe8d6n9yF6pQ1zL8wA5rV0mN2hK4";
    private static final ObjectMapper JSON = new ObjectMapper();


    static Stream<Arguments> storesAndUpstreams() {
        List<Arguments> all = new ArrayList<>();
        for (String store : List.of("memory", "redis", "dynamodb")) {
            for (String type : List.of("anthropic", "openai")) {
                all.add(Arguments.of(store, type));
            }
        }
        return all.stream();
    }

    @AfterAll
    static void stopStores() {
        Stores.close();
    }

    private OpenAIClient start(String store, String type) throws Exception {
        upstream = FakeUpstream.start();
        String provider = type.equals("anthropic")
                ? "{ type: anthropic, base_url: \"" + upstream.baseUrl() + "\", api_key: \"${UP_KEY}\", timeout: 5s }"
                : "{ type: openai, base_url: \"" + upstream.baseUrl() + "/v1\", api_key: \"${UP_KEY}\", timeout: 5s }";
        gateway = TestGateway.start("""
                auth: { mode: gateway, keys: ["${GW_KEY}", "%s"] }
                providers:
                  up: %s
                models:
                  assistant: { deployments: [ { provider: up, model: %s } ] }
                """.formatted(OTHER_KEY, provider, type.equals("anthropic") ? "claude-sonnet-4-5-20250929" : "gpt-4o-prod")
                + Stores.section(store));
        return gateway.openAi();
    }

    private static ResponseCreateParams.Builder turn() {
        return ResponseCreateParams.builder().model("assistant").addTool(OpenAiSdkResponsesTest.weatherTool())
                .reasoning(Reasoning.builder().effort(ReasoningEffort.MEDIUM).build());
    }

    @ParameterizedTest(name = "{0} store, {1} upstream")
    @MethodSource("storesAndUpstreams")
    void aConversationContinuedOnlyByPreviousResponseId(String store, String type) throws Exception {
        OpenAIClient client = start(store, type);
        boolean anthropic = type.equals("anthropic");
        if (anthropic) {
            upstream.enqueue(AnthropicScript.empty().thinking("The weather tool knows.", SIGNATURE)
                    .toolUse("toolu_01P", "get_weather", "{\"city\":\"Paris\"}")::reply);
            upstream.enqueue(AnthropicScript.text("It is 22C and sunny in Paris.")::reply);
            upstream.enqueue(AnthropicScript.text("Demain, 19C.")::reply);
        } else {
            upstream.enqueue(ChatScript.text("Let me check.").reasoning("The weather tool knows.")
                    .toolCall("call_w1", "get_weather", "{\"city\":\"Paris\"}")::reply);
            upstream.enqueue(ChatScript.text("It is 22C and sunny in Paris.")::reply);
            upstream.enqueue(ChatScript.text("Demain, 19C.")::reply);
        }
        String callId = anthropic ? "toolu_01P" : "call_w1";
        assertThat(gateway.core().stateStore().kind()).isEqualTo(store);

        Response first = client.responses().create(turn().instructions("Be terse.").input("Weather in Paris?").build()).validate();
        ResponseOutputItem call = first.output().stream().filter(ResponseOutputItem::isFunctionCall).findFirst().orElseThrow();
        assertThat(call.asFunctionCall().callId()).isEqualTo(callId);

        // the middle turn streams: its response is stored from the stream's terminal event
        Response second = OpenAiSdkResponsesTest.stream(client, turn().previousResponseId(first.id())
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(callId).output("22C and sunny").build()))).build(), new ArrayList<>());
        assertThat(OpenAiSdkResponsesTest.text(second)).isEqualTo("It is 22C and sunny in Paris.");
        assertThat(second.previousResponseId()).contains(first.id());

        Response third = client.responses().create(turn().previousResponseId(second.id()).instructions("Answer in French.")
                .input("Thanks! And tomorrow?").build()).validate();
        assertThat(OpenAiSdkResponsesTest.text(third)).isEqualTo("Demain, 19C.");

        JsonNode turn2 = upstream.requests().get(1).json();
        JsonNode turn3 = upstream.requests().get(2).json();
        if (anthropic) {
            assertAnthropicHistory(turn2, false);
            assertAnthropicHistory(turn3, true);
            assertThat(turn2.has("system")).as("the first turn's instructions do not carry over").isFalse();
            assertThat(turn3.at("/system/0/text").asText()).isEqualTo("Answer in French.");
        } else {
            assertChatHistory(turn2, false);
            assertChatHistory(turn3, true);
            assertThat(turn2.at("/messages/0/role").asText()).as("the first turn's instructions do not carry over").isEqualTo("user");
            assertThat(turn3.at("/messages/0/content").asText()).isEqualTo("Answer in French.");
        }

        // what was created can be read back; its input is the whole conversation before it
        assertThat(client.responses().retrieve(third.id()).validate()).isEqualTo(third);
        assertThat(client.responses().retrieve(second.id()).validate()).isEqualTo(second);
        List<ResponseItem> items = client.responses().inputItems().list(third.id(),
                InputItemListParams.builder().order(InputItemListParams.Order.ASC).build()).data();
        items.forEach(ResponseItem::validate);
        assertThat(items.get(0).responseInputMessageItem().orElseThrow().content().get(0).asInputText().text())
                .isEqualTo("Weather in Paris?");
        assertThat(items.stream().filter(ResponseItem::isReasoning).findFirst().orElseThrow().asReasoning().encryptedContent())
                .isEqualTo(anthropic ? Optional.of(SIGNATURE) : Optional.empty());
        assertThat(items.stream().filter(ResponseItem::isFunctionCall).findFirst().orElseThrow().asFunctionCall().callId()).isEqualTo(callId);
        assertThat(items.stream().filter(ResponseItem::isFunctionCallOutput).findFirst().orElseThrow().asFunctionCallOutput().callId())
                .contains(callId);
        assertThat(items.get(items.size() - 1).responseInputMessageItem().orElseThrow().content().get(0).asInputText().text())
                .isEqualTo("Thanks! And tomorrow?");

        // another key finds nothing, cannot continue it, and cannot delete it
        OpenAIClient other = gateway.openAi(OTHER_KEY);
        assertThatThrownBy(() -> other.responses().retrieve(third.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.responses().inputItems().list(third.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.responses().delete(third.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.responses().create(turn().previousResponseId(third.id()).input("and?").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("previous_response_not_found");
                    assertThat(e.param()).contains("previous_response_id");
                });
        assertThat(upstream.requests()).hasSize(3);

        // after delete the id is gone, for reading and for continuing
        client.responses().delete(third.id());
        assertThatThrownBy(() -> client.responses().retrieve(third.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.responses().create(turn().previousResponseId(third.id()).input("and?").build()))
                .isInstanceOf(BadRequestException.class);
        HttpResponse<String> deleted = gateway.send("DELETE", "/v1/responses/" + second.id(), null,
                "authorization", "Bearer " + TestGateway.GATEWAY_KEY);
        assertThat(JSON.readTree(deleted.body())).isEqualTo(JSON.readTree("{\"id\":\"" + second.id()
                + "\",\"object\":\"response.deleted\",\"deleted\":true}"));
        assertThat(client.responses().retrieve(first.id()).id()).isEqualTo(first.id());
    }

    @Test
    void onDynamoDbAResponseOverTheItemLimitIsAnsweredButNotStored() throws Exception {
        OpenAIClient client = start("dynamodb", "openai");
        upstream.handler(ChatScript.text("That is a lot of text.").handler());
        byte[] noise = new byte[400 * 1024];
        new SecureRandom().nextBytes(noise);

        // random text does not compress: over the 350 KB the gateway puts in one item
        Response big = client.responses().create(turn().input(Base64.getEncoder().encodeToString(noise)).build()).validate();
        Response small = client.responses().create(turn().input("A short question.").build()).validate();

        assertThat(OpenAiSdkResponsesTest.text(big)).isEqualTo("That is a lot of text.");
        assertThat(big._additionalProperties().get("store")).as("the SDK keeps store among unknown fields").isEqualTo(JsonValue.from(false));
        assertThat(small._additionalProperties().get("store")).isEqualTo(JsonValue.from(true));
        assertThatThrownBy(() -> client.responses().create(turn().previousResponseId(big.id()).input("and?").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("previous_response_not_found");
                    assertThat(e.getMessage()).contains("was not stored");
                });
        assertThat(client.responses().retrieve(small.id()).id()).isEqualTo(small.id());
        String metrics = gateway.send("GET", "/metrics", null, "authorization", "Bearer " + TestGateway.GATEWAY_KEY).body();
        assertThat(metrics).contains("gateway_responses_not_stored_total{reason=\"too_large\"} 1.0");
    }

    /** user question, assistant (signed thinking, tool_use), user (tool_result) [, assistant answer, user follow-up]. */
    private static void assertAnthropicHistory(JsonNode sent, boolean third) {
        JsonNode messages = sent.get("messages");
        assertThat(messages).hasSize(third ? 5 : 3);
        assertThat(text(messages.get(0))).isEqualTo("Weather in Paris?");
        JsonNode assistant = messages.at("/1/content");
        assertThat(assistant.at("/0/type").asText()).isEqualTo("thinking");
        assertThat(assistant.at("/0/thinking").asText()).isEqualTo("The weather tool knows.");
        assertThat(assistant.at("/0/signature").asText()).isEqualTo(SIGNATURE);
        assertThat(assistant.at("/1/type").asText()).isEqualTo("tool_use");
        assertThat(assistant.at("/1/id").asText()).isEqualTo("toolu_01P");
        assertThat(assistant.at("/1/input/city").asText()).isEqualTo("Paris");
        JsonNode result = messages.at("/2/content/0");
        assertThat(result.get("type").asText()).isEqualTo("tool_result");
        assertThat(result.get("tool_use_id").asText()).isEqualTo("toolu_01P");
        assertThat(result.get("content").toString()).contains("22C and sunny");
        if (third) {
            assertThat(messages.at("/3/role").asText()).isEqualTo("assistant");
            assertThat(text(messages.get(3))).isEqualTo("It is 22C and sunny in Paris.");
            assertThat(messages.at("/4/role").asText()).isEqualTo("user");
            assertThat(text(messages.get(4))).isEqualTo("Thanks! And tomorrow?");
        }
    }

    /** user question, assistant (text, tool_calls), tool result [, assistant answer, user follow-up], after any system message. */
    private static void assertChatHistory(JsonNode sent, boolean third) {
        List<JsonNode> messages = new ArrayList<>();
        sent.get("messages").forEach(m -> {
            if (!m.get("role").asText().equals("system")) {
                messages.add(m);
            }
        });
        assertThat(messages).extracting(m -> m.get("role").asText()).containsExactlyElementsOf(third
                ? List.of("user", "assistant", "tool", "assistant", "user") : List.of("user", "assistant", "tool"));
        assertThat(messages.get(0).get("content").asText()).isEqualTo("Weather in Paris?");
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Let me check.");
        assertThat(messages.get(1).at("/tool_calls/0/id").asText()).isEqualTo("call_w1");
        assertThat(messages.get(1).at("/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo("call_w1");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("22C and sunny");
        if (third) {
            assertThat(messages.get(3).get("content").asText()).isEqualTo("It is 22C and sunny in Paris.");
            assertThat(messages.get(4).get("content").asText()).isEqualTo("Thanks! And tomorrow?");
        }
    }

    /** A message's text, whether its content is a string or text blocks. */
    private static String text(JsonNode message) {
        JsonNode content = message.get("content");
        return content.isTextual() ? content.asText() : content.at("/0/text").asText();
    }

    /** The Redis and DynamoDB servers, started once for the class the first time a test needs them. */
    static final class Stores {
        private static LocalRedis redis;
        private static LocalDynalite dynalite;
        private static final List<String> SET_PROPERTIES = new ArrayList<>();

        static String section(String store) throws Exception {
            return switch (store) {
                case "redis" -> {
                    if (redis == null) {
                        redis = LocalRedis.start();
                    }
                    yield "state: { store: redis, url: \"" + redis.url() + "\", timeout: 10s }\n";
                }
                case "dynamodb" -> {
                    if (dynalite == null) {
                        dynalite = LocalDynalite.start();
                        LocalStateTable.create(dynalite.endpoint(), "gateway-state");
                        // the SDK signs requests, so it needs credentials; dynalite checks none
                        placeholder("aws.accessKeyId", "fake-access-key-id");
                        placeholder("aws.secretAccessKey", "fake-secret-access-key");
                    }
                    yield "state: { store: dynamodb, table: gateway-state, region: us-east-1, endpoint: \"" + dynalite.endpoint()
                            + "\", timeout: 10s }\n";
                }
                default -> "";
            };
        }

        private static void placeholder(String property, String value) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, value);
                SET_PROPERTIES.add(property);
            }
        }

        static void close() {
            if (redis != null) {
                redis.close();
                redis = null;
            }
            if (dynalite != null) {
                dynalite.close();
                dynalite = null;
            }
            SET_PROPERTIES.forEach(System::clearProperty);
            SET_PROPERTIES.clear();
        }
    }
}
