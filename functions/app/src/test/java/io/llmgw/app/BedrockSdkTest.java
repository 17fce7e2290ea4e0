package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.RateLimitException;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStatus;
import io.llmgw.provider.bedrock.fake.ConverseScript;
import io.llmgw.provider.bedrock.fake.EventStreams;
import io.llmgw.provider.bedrock.fake.FakeBedrock;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official openai-java and anthropic-java SDKs against the running app in front of a fake Amazon Bedrock,
 * streaming with tools and sending the next turn: the Bedrock provider module is on the app's class path and found
 * by its services line alone. Every request the fake receives must carry a valid SigV4 signature made with the
 * app's AWS credential chain (here: the fake's credentials as system properties), and its streamed answers are
 * real AWS event streams; the SDKs' own accumulators check what the gateway made of them.
 */
class BedrockSdkTest {
    private static final String CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String SIGNATURE = "EqoBCkgIBxABGAIiQBedrockSignatureForTheSdkTestOnlyNotFromAws0000000000cc";
    private static final String NEXT_SIGNATURE = "EqoBCkgIBxABGAIiQBedrockSignatureOfTheNextTurnForTheSdkTest00000000000dd";
    private static FakeBedrock bedrock;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        bedrock = FakeBedrock.start();
        gateway = TestGateway.start("""
                auth: { mode: gateway, keys: ["${GW_KEY}"] }
                providers:
                  aws: { type: bedrock, region: %s, endpoint: "%s", timeout: 10s }
                models:
                  "claude-*": { deployments: [ { provider: aws, model: "%s" } ] }
                """.formatted(FakeBedrock.REGION, bedrock.endpoint(), CLAUDE));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        bedrock.close();
    }

    @AfterEach
    void everyRequestWasSigned() {
        assertThat(bedrock.authFailures()).as("every request reached Bedrock signed").isEmpty();
        bedrock.clear();
    }

    private static ConverseScript twoCalls(String thought, String signature) {
        return ConverseScript.answer().reasoning(thought, signature).andText("Checking both.")
                .toolUse("tooluse_paris", "get_weather", "{\"city\":\"Paris\"}")
                .toolUse("tooluse_tokyo", "get_weather", "{\"city\":\"Tokyo\"}").stop("tool_use").usage(120, 80).cache(2048, 0);
    }

    private JsonNode sent(int index) {
        RecordedRequest request = bedrock.requests().get(index);
        assertThat(request.path()).startsWith("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse");
        return request.json();
    }

    @Test
    void openAiChatStreamsToolCallsFromBedrockAndSendsTheResultsBack() {
        bedrock.enqueue(twoCalls("Two cities.", SIGNATURE)::reply);
        bedrock.enqueue(ConverseScript.text("18C in Paris, 25C in Tokyo.")::reply);
        OpenAIClient client = gateway.openAi();
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("claude-sonnet-4-5")
                .addSystemMessage("Use the tools.").addUserMessage("Weather in Paris and Tokyo?").addTool(SdkChat.weatherTool())
                .reasoningEffort(ReasoningEffort.LOW).maxCompletionTokens(4000).build();

        ChatCompletion completion = SdkChat.streamAndAccumulate(client, first);

        ChatCompletionMessage message = completion.choices().get(0).message();
        assertThat(message.content()).contains("Checking both.");
        assertThat(message.toolCalls().orElseThrow()).extracting(c -> c.asFunction().id()).containsExactly("tooluse_paris", "tooluse_tokyo");
        assertThat(message.toolCalls().orElseThrow()).extracting(c -> c.asFunction().function().arguments())
                .containsExactly("{\"city\":\"Paris\"}", "{\"city\":\"Tokyo\"}");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(bedrock.requests().get(0).path()).endsWith("/converse-stream");
        assertThat(sent(0).at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).isEqualTo(1024);
        assertThat(sent(0).at("/toolConfig/tools/0/toolSpec/inputSchema/json/required/0").asText()).isEqualTo("city");

        ChatCompletion answer = client.chat().completions().create(SdkChat.weatherAnswered(first, message));

        assertThat(answer.choices().get(0).message().content()).contains("18C in Paris, 25C in Tokyo.");
        JsonNode replay = sent(1);
        assertThat(replay.at("/messages/1/content")).extracting(b -> b.fieldNames().next()).containsExactly("text", "toolUse", "toolUse");
        List<String> results = new ArrayList<>();
        replay.at("/messages/2/content").forEach(b -> results.add(b.at("/toolResult/toolUseId").asText(null)));
        assertThat(results).startsWith("tooluse_paris", "tooluse_tokyo");
        assertThat(replay.has("additionalModelRequestFields")).as("chat clients keep no signature: thinking off for the tool turn").isFalse();
    }

    @Test
    void openAiResponsesCarryBedrocksSignatureAcrossTurns() {
        bedrock.enqueue(twoCalls("Two cities: call the tool twice.", SIGNATURE)::reply);
        bedrock.enqueue(ConverseScript.answer().reasoning("Both known.", NEXT_SIGNATURE).andText("18C in Paris, 25C in Tokyo.")::reply);
        OpenAIClient client = gateway.openAi();
        EasyInputMessage question = EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("Weather in Paris and Tokyo?").build();
        ResponseCreateParams.Builder ask = ResponseCreateParams.builder().model("claude-sonnet-4-5").instructions("Use the tools.")
                .addTool(OpenAiSdkResponsesTest.weatherTool()).reasoning(Reasoning.builder().effort(ReasoningEffort.MEDIUM).build())
                .addInclude(ResponseIncludable.REASONING_ENCRYPTED_CONTENT);

        Response first = OpenAiSdkResponsesTest.stream(client, ask.inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(question)))
                .build(), new ArrayList<>());

        assertThat(first.status()).contains(ResponseStatus.COMPLETED);
        ResponseReasoningItem reasoning = first.output().get(0).asReasoning();
        assertThat(reasoning.encryptedContent()).contains(SIGNATURE);
        List<ResponseFunctionToolCall> calls = first.output().stream().filter(ResponseOutputItem::isFunctionCall)
                .map(ResponseOutputItem::asFunctionCall).toList();
        assertThat(calls).extracting(ResponseFunctionToolCall::callId).containsExactly("tooluse_paris", "tooluse_tokyo");
        assertThat(first.usage().orElseThrow().inputTokens()).isEqualTo(120 + 2048);
        assertThat(first.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(2048);

        List<ResponseInputItem> history = new ArrayList<>(List.of(ResponseInputItem.ofEasyInputMessage(question),
                ResponseInputItem.ofReasoning(reasoning), ResponseInputItem.ofResponseOutputMessage(first.output().get(1).asMessage())));
        for (ResponseFunctionToolCall call : calls) {
            history.add(ResponseInputItem.ofFunctionCall(call));
            history.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId())
                    .output(call.arguments().contains("Paris") ? "18C" : "25C").build()));
        }
        Response second = OpenAiSdkResponsesTest.stream(client, ask.inputOfResponse(history).build(), new ArrayList<>());

        assertThat(OpenAiSdkResponsesTest.text(second)).isEqualTo("18C in Paris, 25C in Tokyo.");
        assertThat(second.output().get(0).asReasoning().encryptedContent()).contains(NEXT_SIGNATURE);
        JsonNode assistant = sent(1).at("/messages/1/content");
        assertThat(assistant.at("/0/reasoningContent/reasoningText/signature").asText()).isEqualTo(SIGNATURE);
        assertThat(assistant.at("/0/reasoningContent/reasoningText/text").asText()).isEqualTo("Two cities: call the tool twice.");
        assertThat(assistant.at("/2/toolUse/toolUseId").asText()).isEqualTo("tooluse_paris");
        assertThat(sent(1).at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).as("thinking stays on").isEqualTo(8192);
    }

    @Test
    void anthropicMessagesStreamThinkingAndToolsAndTheSignatureGoesBackToBedrock() {
        bedrock.enqueue(ConverseScript.answer().reasoning("Need the tool.", SIGNATURE)
                .toolUse("tooluse_paris", "get_weather", "{\"city\":\"Paris\"}").stop("tool_use")::reply);
        bedrock.enqueue(ConverseScript.answer().reasoning("Done.", NEXT_SIGNATURE).andText("22C and sunny in Paris.")::reply);
        AnthropicClient client = gateway.anthropic();
        MessageCreateParams first = MessageCreateParams.builder().model("claude-sonnet-4-5-20250929").maxTokens(8000)
                .enabledThinking(2048).addTool(AnthropicSdkTest.tool("get_weather")).addUserMessage("Weather in Paris?").build();

        Message turn1 = AnthropicSdkTest.stream(client, first);

        assertThat(turn1.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(turn1.content().get(0).asThinking().thinking()).isEqualTo("Need the tool.");
        assertThat(turn1.content().get(0).asThinking().signature()).startsWith("gw1.");
        ToolUseBlock call = turn1.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow().asToolUse();
        assertThat(call.id()).isEqualTo("tooluse_paris");
        assertThat(AnthropicSdkTest.input(call).get("city")).isEqualTo("Paris");

        MessageCreateParams second = first.toBuilder().addMessage(turn1)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(call.id()).content("22C and sunny").build())))
                .build();
        Message turn2 = AnthropicSdkTest.stream(client, second);

        assertThat(turn2.content().get(1).asText().text()).isEqualTo("22C and sunny in Paris.");
        JsonNode replay = sent(1);
        assertThat(replay.at("/messages/1/content/0/reasoningContent/reasoningText/signature").asText())
                .as("the gateway token unwrapped to Bedrock's own signature").isEqualTo(SIGNATURE);
        assertThat(replay.at("/messages/1/content/1/toolUse/input/city").asText()).isEqualTo("Paris");
        assertThat(replay.at("/messages/2/content/0/toolResult/toolUseId").asText()).isEqualTo("tooluse_paris");
        assertThat(replay.at("/additionalModelRequestFields/thinking/budget_tokens").asInt()).isEqualTo(2048);
    }

    @Test
    void bedrocksErrorsAreTheSdksOwnExceptions() {
        bedrock.handler(request -> Reply.frames(EventStreams.CONTENT_TYPE,
                List.of(EventStreams.exception("throttlingException", "{\"message\":\"Too many tokens, please wait before trying again.\"}"))));

        assertThatThrownBy(() -> SdkChat.streamAndAccumulate(gateway.openAi(), ChatCompletionCreateParams.builder()
                .model("claude-sonnet-4-5").addUserMessage("Hi").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.code()).contains("rate_limit_exceeded"));
        assertThat(bedrock.requests()).as("throttling retried with backoff before the 429").hasSize(3);

        bedrock.handler(request -> Reply.frames(EventStreams.CONTENT_TYPE, withFailure(ConverseScript.text("Partial answer").frames())));
        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> stream = gateway.anthropic().messages().createStreaming(
                    MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(100).addUserMessage("Hi").build())) {
                stream.stream().forEach(event -> { });
            }
        }).hasMessageContaining("Bedrock is unable to process your request.");
    }

    /** The first frames of a stream, then Bedrock's service-unavailable exception. */
    private static List<byte[]> withFailure(List<byte[]> frames) {
        List<byte[]> cut = new ArrayList<>(frames.subList(0, 3));
        cut.add(EventStreams.exception("serviceUnavailableException", "{\"message\":\"Bedrock is unable to process your request.\"}"));
        return cut;
    }
}
