package io.llmgw.core.dialect.openai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chunk sequence the encoder writes for canonical events. */
class ChatStreamEncoderTest {
    private static final String DONE = "data: [DONE]\n\n";
    private static final ChatEnvelope ENVELOPE = new ChatEnvelope("chatcmpl-test", 1_760_000_000L, "gpt-4o");
    private static final Usage USAGE = new Usage(2460, 40, 2048, null, 12);

    private final List<String> frames = new ArrayList<>();

    private ChatStreamEncoder encoder(boolean includeUsage) {
        return new ChatStreamEncoder(ENVELOPE, includeUsage, frame -> frames.add(new String(frame, StandardCharsets.UTF_8)));
    }

    /** Every frame but [DONE] and errors, parsed; checks the framing and the envelope on the way. */
    private List<JsonNode> chunks() {
        List<JsonNode> chunks = new ArrayList<>();
        for (String frame : frames) {
            assertThat(frame).startsWith("data: ").endsWith("\n\n");
            if (frame.equals(DONE)) {
                continue;
            }
            JsonNode chunk = parse(frame);
            if (chunk.has("error")) {
                continue;
            }
            assertThat(chunk.get("id").asText()).isEqualTo("chatcmpl-test");
            assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.get("created").asLong()).isEqualTo(1_760_000_000L);
            assertThat(chunk.get("model").asText()).isEqualTo("gpt-4o");
            chunks.add(chunk);
        }
        return chunks;
    }

    private static JsonNode parse(String frame) {
        try {
            return Json.parse(frame.substring("data: ".length(), frame.length() - 2).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + frame, e);
        }
    }

    private static JsonNode delta(JsonNode chunk) {
        return chunk.at("/choices/0/delta");
    }

    private static String finish(JsonNode chunk) {
        JsonNode reason = chunk.at("/choices/0/finish_reason");
        return reason.isNull() ? null : reason.asText();
    }

    @Test
    void roleChunkFirstThenOneChunkPerDeltaThenTheFinishAndDone() {
        ChatStreamEncoder encoder = encoder(false);
        encoder.onEvent(new StreamEvent.Started("msg_01", "claude-sonnet-4-5"));
        encoder.onEvent(new StreamEvent.TextDelta("Hello"));
        encoder.onEvent(new StreamEvent.TextDelta(""));
        encoder.onEvent(new StreamEvent.TextDelta(", \"world\"\n"));
        encoder.onEvent(new StreamEvent.Finished(StopReason.END_TURN, null));
        encoder.onEvent(new StreamEvent.UsageReported(USAGE));
        encoder.onComplete();

        List<JsonNode> chunks = chunks();
        assertThat(chunks).hasSize(4);
        assertThat(delta(chunks.get(0)).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(delta(chunks.get(1)).get("content").asText()).isEqualTo("Hello");
        assertThat(delta(chunks.get(2)).get("content").asText()).isEqualTo(", \"world\"\n");
        assertThat(delta(chunks.get(3)).isEmpty()).isTrue();
        assertThat(finish(chunks.get(3))).isEqualTo("stop");
        assertThat(chunks.subList(0, 3)).allSatisfy(c -> assertThat(finish(c)).isNull());
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.has("usage")).as("no usage field when the client did not ask").isFalse();
            assertThat(c.at("/choices/0/index").asInt()).isZero();
        });
        assertThat(frames.get(frames.size() - 1)).isEqualTo(DONE);
    }

    @Test
    void theUsageChunkComesOnlyWhenAskedForAfterTheFinishAndBeforeDone() {
        ChatStreamEncoder encoder = encoder(true);
        encoder.onEvent(new StreamEvent.TextDelta("Hi"));
        encoder.onEvent(new StreamEvent.UsageReported(new Usage(10, 1, null, null, null)));
        encoder.onEvent(new StreamEvent.Finished(StopReason.END_TURN, null));
        encoder.onEvent(new StreamEvent.UsageReported(USAGE));  // the last report wins
        encoder.onComplete();

        List<JsonNode> chunks = chunks();
        assertThat(chunks).hasSize(4);
        assertThat(chunks.subList(0, 3)).allSatisfy(c -> assertThat(c.get("usage").isNull()).isTrue());
        JsonNode usageChunk = chunks.get(3);
        assertThat(usageChunk.get("choices").isArray()).isTrue();
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").toString()).isEqualTo("{\"prompt_tokens\":2460,\"completion_tokens\":40,"
                + "\"total_tokens\":2500,\"prompt_tokens_details\":{\"cached_tokens\":2048},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":12}}");
        assertThat(frames.get(frames.size() - 1)).isEqualTo(DONE);
    }

    @Test
    void noUsageChunkWhenTheUpstreamReportedNone() {
        ChatStreamEncoder encoder = encoder(true);
        encoder.onEvent(new StreamEvent.TextDelta("Hi"));
        encoder.onComplete();

        assertThat(chunks()).extracting(c -> c.get("choices").size()).containsExactly(1, 1, 1);
    }

    @Test
    void reasoningIsReasoningContentAndSignaturesAreLeftOut() {
        ChatStreamEncoder encoder = encoder(false);
        encoder.onEvent(new StreamEvent.ReasoningDelta("User wants weather."));
        encoder.onEvent(new StreamEvent.ReasoningSignature("EqQB"));
        encoder.onEvent(new StreamEvent.RedactedReasoning("opaque"));
        encoder.onEvent(new StreamEvent.TextDelta("Checking."));
        encoder.onComplete();

        List<JsonNode> chunks = chunks();
        assertThat(chunks).hasSize(4);
        assertThat(delta(chunks.get(1)).toString()).isEqualTo("{\"reasoning_content\":\"User wants weather.\"}");
        assertThat(delta(chunks.get(2)).toString()).isEqualTo("{\"content\":\"Checking.\"}");
    }

    @Test
    void toolCallsGetZeroBasedIndexesInStartOrderWithIdTypeAndNameOnlyOnTheFirstFragment() {
        ChatStreamEncoder encoder = encoder(false);
        encoder.onEvent(new StreamEvent.TextDelta("Checking both."));
        encoder.onEvent(new StreamEvent.ToolCallStarted(0, "toolu_a", "get_weather", false, null));
        encoder.onEvent(new StreamEvent.ToolCallDelta(0, ""));
        encoder.onEvent(new StreamEvent.ToolCallDelta(0, "{\"city\":\"Par"));
        encoder.onEvent(new StreamEvent.ToolCallDelta(0, "is\"}"));
        encoder.onEvent(new StreamEvent.ToolCallStarted(1, "toolu_b", "get_time", false, "sig-b"));
        encoder.onEvent(new StreamEvent.ToolCallDelta(1, "{}"));
        encoder.onEvent(new StreamEvent.ToolCallDelta(7, "{\"stray\":true}"));
        encoder.onEvent(new StreamEvent.Finished(StopReason.TOOL_USE, null));
        encoder.onComplete();

        List<JsonNode> chunks = chunks();
        List<String> toolDeltas = chunks.stream().filter(c -> delta(c).has("tool_calls"))
                .map(c -> delta(c).get("tool_calls").toString()).toList();
        assertThat(toolDeltas).containsExactly(
                "[{\"index\":0,\"id\":\"toolu_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]",
                "[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Par\"}}]",
                "[{\"index\":0,\"function\":{\"arguments\":\"is\\\"}\"}}]",
                "[{\"index\":1,\"id\":\"toolu_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"\"},"
                        + "\"extra_content\":{\"google\":{\"thought_signature\":\"sig-b\"}}}]",
                "[{\"index\":1,\"function\":{\"arguments\":\"{}\"}}]");
        assertThat(finish(chunks.get(chunks.size() - 1))).isEqualTo("tool_calls");
    }

    @Test
    void indexesCountCallsNotTheUpstreamsSlotNumbers() {
        ChatStreamEncoder encoder = encoder(false);
        encoder.onEvent(new StreamEvent.ToolCallStarted(2, "toolu_a", "a", false, null));
        encoder.onEvent(new StreamEvent.ToolCallStarted(2, "toolu_a", "a", false, null));
        encoder.onEvent(new StreamEvent.ToolCallDelta(2, "{}"));
        encoder.onEvent(new StreamEvent.ToolCallStarted(5, "toolu_b", "b", false, null));
        encoder.onComplete();

        assertThat(chunks().stream().filter(c -> delta(c).has("tool_calls")).map(c -> delta(c).at("/tool_calls/0/index").asInt()))
                .containsExactly(0, 0, 1);
    }

    @Test
    void theFinishIsHeldSoContentAndFinishNeverShareAChunk() {
        ChatStreamEncoder encoder = encoder(true);
        encoder.onEvent(new StreamEvent.TextDelta("Almost"));
        encoder.onEvent(new StreamEvent.Finished(StopReason.MAX_TOKENS, null));
        encoder.onEvent(new StreamEvent.TextDelta(" done"));
        encoder.onEvent(new StreamEvent.UsageReported(USAGE));
        encoder.onComplete();

        List<JsonNode> chunks = chunks();
        assertThat(chunks).extracting(c -> c.get("choices").isEmpty() ? "usage" : delta(c).has("role") ? "role"
                : delta(c).has("content") ? "content:" + finish(c) : "finish:" + finish(c))
                .containsExactly("role", "content:null", "content:null", "finish:length", "usage");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "END_TURN, false, stop", "STOP_SEQUENCE, false, stop", "PAUSE_TURN, false, stop", "TOOL_USE, true, tool_calls",
            "END_TURN, true, tool_calls", "STOP_SEQUENCE, true, stop", "MAX_TOKENS, false, length",
            "CONTEXT_WINDOW_EXCEEDED, false, length", "CONTENT_FILTER, false, content_filter", "null, false, stop",
            "null, true, tool_calls"})
    void finishReasons(StopReason reason, boolean toolCall, String expected) {
        ChatStreamEncoder encoder = encoder(false);
        if (toolCall) {
            encoder.onEvent(new StreamEvent.ToolCallStarted(0, "call_1", "a", false, null));
        }
        if (reason != null) {
            encoder.onEvent(new StreamEvent.Finished(reason, null));
        }
        encoder.onComplete();

        List<JsonNode> chunks = chunks();
        assertThat(finish(chunks.get(chunks.size() - 1))).isEqualTo(expected);
    }

    @Test
    void anEmptyAnswerStillHasRoleFinishAndDone() {
        ChatStreamEncoder encoder = encoder(false);
        encoder.onComplete();

        assertThat(chunks()).extracting(ChatStreamEncoderTest::finish).containsExactly(null, "stop");
        assertThat(frames).last().isEqualTo(DONE);
    }

    @Test
    void aFailureEndsWithAnErrorObjectAndNoDone() {
        ChatStreamEncoder encoder = encoder(true);
        encoder.onEvent(new StreamEvent.TextDelta("Partial"));
        encoder.onEvent(new StreamEvent.Finished(StopReason.END_TURN, null));
        encoder.onError(GatewayError.of(ErrorKind.OVERLOADED, "Overloaded").withStatus(503));
        encoder.onEvent(new StreamEvent.TextDelta("late"));
        encoder.onComplete();
        encoder.onError(GatewayError.of(ErrorKind.INTERNAL, "again"));

        assertThat(frames).hasSize(3);
        assertThat(frames).doesNotContain(DONE);
        JsonNode error = parse(frames.get(2)).get("error");
        assertThat(error.get("message").asText()).isEqualTo("Overloaded");
        assertThat(error.get("type").asText()).isEqualTo("server_error");
        assertThat(error.has("code")).isTrue();
        assertThat(chunks()).allSatisfy(c -> assertThat(finish(c)).isNull());
    }

    @Test
    void aFailureBeforeAnyContentIsJustTheErrorFrame() {
        ChatStreamEncoder encoder = encoder(false);
        encoder.onError(GatewayError.of(ErrorKind.TIMEOUT, "The upstream did not answer in time."));

        assertThat(frames).hasSize(1);
        assertThat(parse(frames.get(0)).at("/error/message").asText()).isEqualTo("The upstream did not answer in time.");
    }

    @Test
    void keepAliveIsAnSseComment() {
        assertThat(new String(encoder(false).keepAliveFrame(), StandardCharsets.US_ASCII)).isEqualTo(": keep-alive\n\n");
    }

    @Test
    void anyTextStaysValidJson() {
        ChatStreamEncoder encoder = new ChatStreamEncoder("model \"quoted\" ü", false,
                frame -> frames.add(new String(frame, StandardCharsets.UTF_8)));
        encoder.onEvent(new StreamEvent.TextDelta("tab\t newline\n quote\" backslash\\ control\u0001 emoji \uD83D\uDE00 é"));
        encoder.onEvent(new StreamEvent.TextDelta("lone \uD83D surrogate"));
        encoder.onComplete();

        assertThat(parse(frames.get(1)).at("/choices/0/delta/content").asText())
                .isEqualTo("tab\t newline\n quote\" backslash\\ control\u0001 emoji \uD83D\uDE00 é");
        assertThat(parse(frames.get(2)).at("/choices/0/delta/content").asText()).startsWith("lone ").endsWith(" surrogate");
        assertThat(parse(frames.get(0)).get("model").asText()).isEqualTo("model \"quoted\" ü");
        assertThat(parse(frames.get(0)).get("id").asText()).matches("chatcmpl-[A-Za-z0-9]{24}");
        assertThat(frames.stream().map(f -> parse(f.equals(DONE) ? "data: {}\n\n" : f).path("id").asText()).distinct()
                .filter(id -> !id.isEmpty())).hasSize(1);
    }
}
