package io.llmgw.core.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.protocol.openai.ChunkShapes;
import io.llmgw.core.protocol.openai.RecordedEvents;
import io.llmgw.core.stream.SseEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AnthropicEventScan} reads every event as {@link AnthropicStreamDecoder} read its JSON tree:
 * the events of the recorded upstream streams and the fuzz corpus (Anthropic's and every other
 * dialect's), those with bytes broken, and generated Anthropic-shaped objects whose fields have every
 * type and repeat. (The decoder matched the delta's type with {@code asText()}; for anything but a
 * string that gives "", a number's digits, "true", "false" or "null", none a delta type — so a
 * string or nothing is the same reading.)
 */
class AnthropicEventScanAgainstTreeTest {
    record Reading(String type, int index, String deltaType, String text, String thinking, String signature, String partialJson) {}

    private final AnthropicEventScan scan = new AnthropicEventScan();

    @Test
    void recordedAndFuzzedEvents() throws IOException, URISyntaxException {
        List<byte[]> events = RecordedEvents.all();
        assertThat(events).anySatisfy(event -> assertThat(new String(event, StandardCharsets.UTF_8))
                .contains("\"type\":\"content_block_delta\"", "\"input_json_delta\""));
        events.forEach(this::readsAsTheTreeDoes);
    }

    @Test
    void brokenEvents() throws IOException, URISyntaxException {
        RecordedEvents.forEachBroken(18, 20_000, this::readsAsTheTreeDoes);
    }

    @Test
    void generatedEvents() {
        RecordedEvents.forEachGenerated(44, 30_000, ChunkShapes::anthropicEvent, this::readsAsTheTreeDoes);
    }

    @Test
    void deepAndLongEvents() {
        String deep = "[".repeat(1_500) + "]".repeat(1_500);
        readsAsTheTreeDoes(("{\"type\":\"x\",\"delta\":{\"text\":\"a\",\"x\":" + deep + "}}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"delta\":" + "{\"a\":".repeat(900) + "1" + "}".repeat(900) + ",\"index\":3}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"delta\":{\"type\":\"text_delta\",\"text\":\"" + "é".repeat(400_000) + "\"}}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"index\":" + "9".repeat(1_200) + "}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"index\":" + "9".repeat(900) + "}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"x\":[" + "9".repeat(1_200) + "],\"type\":\"t\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void firstEventErrors() {
        String overloaded = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
        assertThat(AnthropicUpstreamErrors.beforeStream(new SseEvent("error", bytes(overloaded)))).extracting(GatewayError::message)
                .isEqualTo("Overloaded");
        assertThat(AnthropicUpstreamErrors.beforeStream(new SseEvent(null, bytes(overloaded)))).extracting(GatewayError::message)
                .isEqualTo("Overloaded");
        assertThat(AnthropicUpstreamErrors.beforeStream(new SseEvent("message_start", bytes(overloaded)))).isNull();
        assertThat(AnthropicUpstreamErrors.beforeStream(new SseEvent(null, bytes("{\"type\":\"message_start\"}")))).isNull();
        assertThat(AnthropicUpstreamErrors.beforeStream(new SseEvent("error", bytes("{\"type\":\"error\"")))).extracting(GatewayError::code)
                .isEqualTo("upstream_malformed_event");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What a stream's first event was before it was scanned: every one a tree. */
    private static GatewayError treeReading(SseEvent first) {
        JsonNode event = UpstreamEvents.object(first);
        if (event == null) {
            return UpstreamEvents.malformed();
        }
        return "error".equals(AnthropicUpstreamErrors.type(first, event)) ? AnthropicUpstreamErrors.fromEvent(event) : null;
    }

    private void readsAsTheTreeDoes(byte[] event) {
        for (String name : new String[] {null, "error", "message_start"}) {
            SseEvent first = new SseEvent(name, event);
            // compared as text: a record's headers component has no equality of its own
            assertThat(String.valueOf(AnthropicUpstreamErrors.beforeStream(first))).as("first event %s", RecordedEvents.shown(event))
                    .isEqualTo(String.valueOf(treeReading(first)));
        }
        String shown = RecordedEvents.shown(event);
        JsonNode tree = Json.parseOrNull(event);
        boolean object = tree != null && tree.isObject();
        assertThat(scan.read(event)).as("a JSON object: %s", shown).isEqualTo(object);
        if (object) {
            JsonNode delta = tree.path("delta");
            Reading fromTree = new Reading(Json.text(tree, "type"), tree.path("index").asInt(), Json.text(delta, "type"),
                    Json.text(delta, "text"), Json.text(delta, "thinking"), Json.text(delta, "signature"), Json.text(delta, "partial_json"));
            Reading scanned = new Reading(scan.type(), scan.index(), scan.deltaType(), scan.text(), scan.thinking(), scan.signature(),
                    scan.partialJson());
            assertThat(scanned).as("reading %s", shown).isEqualTo(fromTree);
        }
    }
}
