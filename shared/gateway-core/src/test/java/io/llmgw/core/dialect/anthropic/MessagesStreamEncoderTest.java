package io.llmgw.core.dialect.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.StreamEvent.Finished;
import io.llmgw.core.model.StreamEvent.ReasoningDelta;
import io.llmgw.core.model.StreamEvent.TextDelta;
import io.llmgw.core.model.StreamEvent.ToolCallDelta;
import io.llmgw.core.model.StreamEvent.ToolCallStarted;
import io.llmgw.core.model.Usage;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.testing.AnthropicStreams;
import io.llmgw.testing.AnthropicStreams.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine's edge cases, each checked against the strict grammar. */
class MessagesStreamEncoderTest {
    private static Summary encode(StreamEvent... events) {
        return AnthropicStreams.check(raw(true, events));
    }

    private static String raw(boolean complete, StreamEvent... events) {
        BufferingSink sink = new BufferingSink();
        ClientResponse out = new ClientResponse(sink, new RequestContext("req_1", System.nanoTime()), new Headers());
        MessagesStreamEncoder encoder = new MessagesStreamEncoder(out, "claude-sonnet-4-5", "openai", () -> 42);
        for (StreamEvent event : events) {
            encoder.onEvent(event);
        }
        if (complete) {
            encoder.onComplete();
        } else {
            encoder.onError(GatewayError.of(ErrorKind.OVERLOADED, "Overloaded"));
        }
        return sink.bodyText();
    }

    private static ToolCallStarted tool(int slot, String id) {
        return new ToolCallStarted(slot, id, "f" + slot, false, null);
    }

    @Test
    void whitespaceNeverMakesABlockAndIsDroppedBetweenToolCalls() {
        Summary s = encode(new TextDelta("\n"), new TextDelta("  "), tool(0, "call_0"), new ToolCallDelta(0, "{}"),
                new TextDelta("\n\n"), tool(1, "call_1"), new ToolCallDelta(1, "{\"a\":1}"), new TextDelta(" "),
                new Finished(StopReason.END_TURN, null));
        assertThat(s.blocks()).extracting(AnthropicStreams.Block::type).containsExactly("tool_use", "tool_use");
        assertThat(s.stopReason()).isEqualTo("tool_use");
    }

    @Test
    void leadingWhitespaceStaysWithTheTextItPrecedes() {
        Summary s = encode(new ReasoningDelta("think"), new TextDelta("\n\n"), new TextDelta("answer"), new ReasoningDelta("more"),
                new TextDelta("tail"));
        assertThat(s.blocks()).extracting(AnthropicStreams.Block::type).containsExactly("thinking", "text", "thinking", "text");
        assertThat(s.blocks().get(1).text()).isEqualTo("\n\nanswer");
    }

    @Test
    void aToolBlockStaysOpenUntilItsInputIsCompleteThenTheWaitingEventsFollow() {
        Summary s = encode(tool(0, "call_0"), new ToolCallDelta(0, "{\"q\":"), tool(1, "call_1"), new ToolCallDelta(1, "{\"r\":2}"),
                new TextDelta("between"), new ToolCallDelta(0, "\"x\"}"), new TextDelta(" done"));
        assertThat(s.blocks()).extracting(AnthropicStreams.Block::text)
                .containsExactly("{\"q\":\"x\"}", "{\"r\":2}", "between done");
    }

    @Test
    void inputThatNeverCompletesIsStillDeliveredWholeAtTheEnd() {
        Summary s = encode(tool(0, "call_0"), tool(1, "call_1"), new ToolCallDelta(1, "{\"b\":1}"), new ToolCallDelta(0, "{\"a\":1}"));
        assertThat(s.blocks()).extracting(AnthropicStreams.Block::text).containsExactly("{\"a\":1}", "{\"b\":1}");
    }

    @Test
    void redactedReasoningIsACompleteBlockAndThinkingClosesWithAGatewaySignature() {
        String body = raw(true, new ReasoningDelta("r"), new StreamEvent.RedactedReasoning("enc"), new TextDelta("t"));
        Summary s = AnthropicStreams.check(body);
        assertThat(s.blocks()).extracting(AnthropicStreams.Block::type).containsExactly("thinking", "redacted_thinking", "text");
        assertThat(body).contains("\"type\":\"signature_delta\",\"signature\":\"gw1.eyJwIjoib3BlbmFpIn0\"");
    }

    @Test
    void usageArrivingAfterTheFinishIsTheOneReported() {
        Summary s = encode(new TextDelta("hi"), new Finished(StopReason.MAX_TOKENS, null), new StreamEvent.UsageReported(
                new Usage(100, 7, 60, null, null)));
        assertThat(s.stopReason()).isEqualTo("max_tokens");
        assertThat(s.usage().toString()).isEqualTo(
                "{\"input_tokens\":40,\"output_tokens\":7,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":60}");
    }

    @Test
    void withoutUpstreamUsageTheLocalCountStandsIn() {
        Summary s = encode(new TextDelta("abcdefgh"), new Finished(StopReason.END_TURN, null));
        assertThat(s.usage().get("input_tokens").asInt()).isEqualTo(42);
        assertThat(s.usage().get("output_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void anEmptyAnswerIsStillAWellFormedMessage() {
        Summary s = encode(new StreamEvent.Started("chatcmpl-1", "gpt"), new TextDelta("   "), new Finished(StopReason.END_TURN, null));
        assertThat(s.blocks()).isEmpty();
        assertThat(s.messageStart().get("model").asText()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void anErrorEndsTheStreamInAnthropicForm() {
        Summary s = AnthropicStreams.check(raw(false, new TextDelta("partial")));
        assertThat(s.error().toString()).isEqualTo("{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}");
    }

    @Test
    void stringsAreEscapedAsJson() {
        String tricky = "q\"uote \\ back\nnew\ttab \u0001 é 日本 😀";
        Summary s = encode(new TextDelta(tricky), new StreamEvent.ToolCallStarted(0, "call:odd id", "f", false, null),
                new ToolCallDelta(0, "{}"));
        assertThat(s.blocks().get(0).text()).isEqualTo(tricky);
        assertThat(s.blocks().get(1).start().get("id").asText()).isEqualTo("call_odd_id");
        assertThat(List.of(s.stopReason())).containsExactly("tool_use");
    }
}
