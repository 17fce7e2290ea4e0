package io.llmgw.core.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {
    private final List<StreamEvent> events = new ArrayList<>();
    private AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(ToolNames.NONE, Set.of());

    private Progress feed(String sse) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)));
        Progress progress = Progress.CONTINUE;
        for (SseEvent event; progress == Progress.CONTINUE && (event = reader.next()) != null; ) {
            progress = decoder.decode(event, events::add);
        }
        return progress;
    }

    private static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    /**
     * Golden scenario 7's upstream (docs/protocol-mapping.md#golden-scenarios): what a chat encoder gets from
     * Anthropic's thinking + tool_use stream.
     */
    @Test
    void caseSevenStream() throws IOException {
        try (InputStream sse = getClass().getClassLoader().getResourceAsStream("golden/chat-anthropic/07-thinking-and-tool-use-stream/upstream.sse")) {
            assertThat(feed(new String(sse.readAllBytes(), StandardCharsets.UTF_8))).isEqualTo(Progress.FINISHED);
        }

        assertThat(events.get(0)).isEqualTo(new StreamEvent.Started("msg_01Golden", "claude-sonnet-4-5-20250929"));
        String reasoning = events.stream().filter(e -> e instanceof StreamEvent.ReasoningDelta)
                .map(e -> ((StreamEvent.ReasoningDelta) e).text()).reduce("", String::concat);
        assertThat(reasoning).isEqualTo("The user wants Paris weather; call get_weather.");
        assertThat(events).filteredOn(e -> e instanceof StreamEvent.ReasoningSignature).singleElement()
                .satisfies(e -> assertThat(((StreamEvent.ReasoningSignature) e).signature()).startsWith("EqQB"));
        assertThat(events).contains(new StreamEvent.ToolCallStarted(0, "toolu_01Weather", "get_weather", false, null));
        String arguments = events.stream().filter(e -> e instanceof StreamEvent.ToolCallDelta)
                .map(e -> ((StreamEvent.ToolCallDelta) e).arguments()).reduce("", String::concat);
        assertThat(arguments).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(events).contains(new StreamEvent.Finished(StopReason.TOOL_USE, null));
        assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.UsageReported(new Usage(180, 58, 0, 0, null)));
    }

    @Test
    void toolSlotsCountToolBlocksOnlyAndServerToolBlocksAreSkipped() throws IOException {
        feed(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"m\",\"usage\":{\"input_tokens\":5}}}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{}}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":1}\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"a\",\"input\":{}}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"b\",\"input\":{}}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":3}"));

        assertThat(events).containsExactly(
                new StreamEvent.Started("msg_1", "m"),
                new StreamEvent.TextDelta("Hi"),
                new StreamEvent.ToolCallStarted(0, "toolu_a", "a", false, null),
                new StreamEvent.ToolCallDelta(0, "{}"),
                new StreamEvent.ToolCallStarted(1, "toolu_b", "b", false, null));
    }

    @Test
    void usageDeltasUpdateTheStartSnapshot() throws IOException {
        Progress progress = feed(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":"
                + "{\"input_tokens\":10,\"cache_read_input_tokens\":2000,\"cache_creation_input_tokens\":300,\"output_tokens\":1}}}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":99}}")
                + event("message_stop", "{\"type\":\"message_stop\"}"));

        assertThat(progress).isEqualTo(Progress.FINISHED);
        assertThat(events).containsSubsequence(new StreamEvent.Finished(StopReason.MAX_TOKENS, null),
                new StreamEvent.UsageReported(new Usage(2310, 99, 2000, 300, null)));
        assertThat(events).filteredOn(e -> e instanceof StreamEvent.UsageReported).hasSize(1);
    }

    @Test
    void namesAreRestoredAndCustomToolsRecognisedAndAWholeStartInputIsSentAtTheStop() throws IOException {
        String longName = "mcp__a_very_long_server_name__with_a_very_long_tool_name_that_exceeds_the_limit";
        ToolNames names = new ToolNames(List.of(ToolDefinition.function(longName, null, null)));
        decoder = new AnthropicStreamDecoder(names, Set.of(longName));
        feed(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_1\",\"name\":\"" + names.upstream(longName) + "\",\"input\":{\"input\":\"raw\"}}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));

        assertThat(events).containsExactly(new StreamEvent.ToolCallStarted(0, "toolu_1", longName, true, null),
                new StreamEvent.ToolCallDelta(0, "{\"input\":\"raw\"}"));
    }

    @Test
    void redactedThinkingAndAnOmittedThinkingTextKeepTheirTokens() throws IOException {
        feed(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"EmwK\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}")
                + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQB\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"));

        assertThat(events).containsExactly(new StreamEvent.RedactedReasoning("EmwK"), new StreamEvent.ReasoningSignature("EqQB"));
    }

    @Test
    void anErrorEventFailsTheStreamAndBeforeContentIsAnHttpError() throws IOException {
        String overloaded = event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        SseEvent first = new SseReader(new ByteArrayInputStream(overloaded.getBytes(StandardCharsets.UTF_8))).next();
        assertThat(decoder.errorBeforeStart(first).kind()).isEqualTo(ErrorKind.OVERLOADED);

        assertThat(feed(event("ping", "{\"type\":\"ping\"}") + overloaded)).isEqualTo(Progress.FAILED);
        assertThat(decoder.failure().kind()).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(decoder.failure().message()).isEqualTo("Overloaded");
        assertThat(decoder.completeAtEof()).isFalse();
    }

    @Test
    void eofAfterTheStopReasonIsComplete() throws IOException {
        assertThat(feed(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}")))
                .isEqualTo(Progress.CONTINUE);
        assertThat(decoder.completeAtEof()).isTrue();
    }

    @Test
    void dataThatIsNotJsonFails() throws IOException {
        assertThat(feed("event: message_start\ndata: {not json\n\n")).isEqualTo(Progress.FAILED);
        assertThat(decoder.failure().code()).isEqualTo("upstream_malformed_event");
    }

    /** Deltas come from a scan of the event, not a tree: read as the tree was, hostile ones included. */
    @Test
    void deltasReadAsTheTreeReadThem() throws IOException {
        Progress progress = feed(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("content_block_delta", "{\"index\":\"2\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}")
                + event("content_block_delta", "{\"index\":2.7,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\",\"text\":\"b\"}}")
                + event("content_block_delta", "{\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"c\"},\"delta\":[]}")
                + event("content_block_delta", "{\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":{\"text\":\"d\"}}}")
                + event("content_block_delta", "{\"index\":2,\"delta\":{\"nested\":{\"type\":\"text_delta\",\"text\":\"e\"}}}")
                + event("content_block_delta", "{\"index\":3,\"delta\":{\"type\":\"text_delta\",\"text\":\"f\"}}")
                + event("content_block_delta", "{\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"g\"}} {}"));
        assertThat(events).containsExactly(new StreamEvent.TextDelta("a"), new StreamEvent.TextDelta("b"));
        assertThat(progress).as("trailing tokens make the event malformed").isEqualTo(Progress.FAILED);
    }
}
