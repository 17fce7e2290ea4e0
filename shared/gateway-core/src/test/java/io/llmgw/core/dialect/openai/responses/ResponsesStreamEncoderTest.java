package io.llmgw.core.dialect.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.protocol.anthropic.GatewaySignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Item boundaries and endings the golden cases (chat upstreams) cannot produce. */
class ResponsesStreamEncoderTest {
    private final List<String> frames = new ArrayList<>();
    private final ResponsesStreamEncoder encoder = ResponsesStreamEncoder.forRequest(Json.object(), "m",
            frame -> frames.add(new String(frame, StandardCharsets.UTF_8)));

    private List<JsonNode> events() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            String frame = frames.get(i);
            if (frame.equals("data: [DONE]\n\n")) {
                assertThat(i).as("[DONE] comes last").isEqualTo(frames.size() - 1);
                continue;
            }
            JsonNode event = Json.parse(frame.substring(frame.indexOf("data: ") + 6).getBytes(StandardCharsets.UTF_8));
            assertThat(event.get("sequence_number").asInt()).isEqualTo(events.size());
            events.add(event);
        }
        return events;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }

    private static JsonNode terminal(List<JsonNode> events) {
        return events.get(events.size() - 1).get("response");
    }

    @Test
    void interleavedParallelCallsStayOpenUntilTheEnd() throws IOException {
        encoder.onEvent(new StreamEvent.ToolCallStarted(0, "c0", "a", false, null));
        encoder.onEvent(new StreamEvent.ToolCallStarted(1, "c1", "b", false, null));
        encoder.onEvent(new StreamEvent.ToolCallDelta(0, "{\"x\":"));
        encoder.onEvent(new StreamEvent.ToolCallDelta(1, "{}"));
        encoder.onEvent(new StreamEvent.ToolCallDelta(0, "1}"));
        encoder.onEvent(new StreamEvent.Finished(StopReason.TOOL_USE, null));
        encoder.onComplete();

        List<JsonNode> events = events();
        JsonNode output = terminal(events).get("output");
        assertThat(output.get(0).get("arguments").asText()).isEqualTo("{\"x\":1}");
        assertThat(output.get(1).get("arguments").asText()).isEqualTo("{}");
        assertThat(types(events).subList(events.size() - 5, events.size())).containsExactly(
                "response.function_call_arguments.done", "response.output_item.done",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
    }

    @Test
    void textAfterCallsClosesThemAndLateFragmentsAreDropped() throws IOException {
        encoder.onEvent(new StreamEvent.ToolCallStarted(0, "c0", "a", false, null));
        encoder.onEvent(new StreamEvent.ToolCallDelta(0, "{}"));
        encoder.onEvent(new StreamEvent.TextDelta("done"));
        encoder.onEvent(new StreamEvent.ToolCallDelta(0, "more"));
        encoder.onComplete();

        JsonNode output = terminal(events()).get("output");
        assertThat(output).hasSize(2);
        assertThat(output.get(0).get("arguments").asText()).isEqualTo("{}");
        assertThat(output.get(1).at("/content/0/text").asText()).isEqualTo("done");
    }

    @Test
    void signaturesAndRedactedReasoningBecomeEncryptedContent() throws IOException {
        encoder.onEvent(new StreamEvent.ReasoningDelta("thinking"));
        encoder.onEvent(new StreamEvent.ReasoningSignature("sig-1"));
        encoder.onEvent(new StreamEvent.RedactedReasoning("opaque"));
        encoder.onEvent(new StreamEvent.TextDelta("answer"));
        encoder.onComplete();

        JsonNode output = terminal(events()).get("output");
        assertThat(output.get(0).get("encrypted_content").asText()).isEqualTo("sig-1");
        assertThat(output.get(0).at("/summary/0/text").asText()).isEqualTo("thinking");
        // marked, so that it comes back as redacted_thinking rather than as thinking whose text was omitted
        assertThat(GatewaySignatures.decode(output.get(1).get("encrypted_content").asText()))
                .isEqualTo(new GatewaySignatures.Origin("anthropic", "opaque", true));
        assertThat(output.get(1).get("summary")).isEmpty();
        assertThat(output.get(2).get("type").asText()).isEqualTo("message");
    }

    @Test
    void aSignatureWithoutReasoningTextStillGetsItsItem() throws IOException {
        encoder.onEvent(new StreamEvent.ReasoningSignature("sig-omitted"));
        encoder.onEvent(new StreamEvent.TextDelta("answer"));
        encoder.onComplete();

        JsonNode output = terminal(events()).get("output");
        assertThat(output.get(0).get("type").asText()).isEqualTo("reasoning");
        assertThat(output.get(0).get("encrypted_content").asText()).isEqualTo("sig-omitted");
        assertThat(output.get(0).get("summary")).isEmpty();
        assertThat(output.get(1).get("type").asText()).isEqualTo("message");
    }

    @Test
    void aFailureClosesOpenItemsIncompleteAndEndsOnce() throws IOException {
        encoder.onEvent(new StreamEvent.TextDelta("partial"));
        encoder.onEvent(new StreamEvent.ToolCallStarted(0, "c0", "a", false, null));
        encoder.onError(GatewayError.of(ErrorKind.RATE_LIMIT, "slow down", "whatever_upstream_said"));
        encoder.onComplete();
        encoder.onEvent(new StreamEvent.TextDelta("ignored"));

        List<JsonNode> events = events();
        ObjectNode response = (ObjectNode) terminal(events);
        assertThat(types(events).get(events.size() - 1)).isEqualTo("response.failed");
        assertThat(response.get("status").asText()).isEqualTo("failed");
        assertThat(response.at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(response.at("/error/message").asText()).isEqualTo("slow down");
        assertThat(response.at("/output/0/status").asText()).isEqualTo("completed");
        assertThat(response.at("/output/1/status").asText()).isEqualTo("incomplete");
        assertThat(frames.get(frames.size() - 1)).isEqualTo("data: [DONE]\n\n");
        assertThat(frames.stream().filter(f -> f.equals("data: [DONE]\n\n"))).hasSize(1);
    }

    @Test
    void anEmptyAnswerStillHasCreatedAndCompletedWithUsage() throws IOException {
        encoder.onComplete();

        List<JsonNode> events = events();
        assertThat(types(events)).containsExactly("response.created", "response.in_progress", "response.completed");
        assertThat(terminal(events).at("/usage/total_tokens").isInt()).isTrue();
        assertThat(terminal(events).get("output")).isEmpty();
    }

    @Test
    void theClientsToolsAreEchoedAsTheySentThemNonAsciiIncluded() throws IOException {
        ObjectNode body = (ObjectNode) Json.parse(("{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"name\":\"lookup\","
                + "\"description\":\"Café — finds a word’s meaning ✓\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"word\":{\"type\":\"string\",\"description\":\"naïve\"}}}}]}").getBytes(StandardCharsets.UTF_8));
        ResponsesStreamEncoder echoing = ResponsesStreamEncoder.forRequest(body, "m",
                frame -> frames.add(new String(frame, StandardCharsets.UTF_8)));

        echoing.onEvent(new StreamEvent.TextDelta("ok"));
        echoing.onEvent(new StreamEvent.Finished(StopReason.END_TURN, null));
        echoing.onComplete();

        List<JsonNode> events = events();
        assertThat(events.get(0).at("/response/tools")).isEqualTo(body.get("tools"));
        assertThat(terminal(events).get("tools")).isEqualTo(body.get("tools"));
        assertThat(terminal(events).at("/tools/0/description").asText()).isEqualTo("Café — finds a word’s meaning ✓");
    }
}
