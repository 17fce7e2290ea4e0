package io.llmgw.core.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponsesEventHead} reads every event as the Responses relay read its JSON tree: the events
 * of the recorded upstream streams and the fuzz corpus (Responses and every other dialect's), those
 * with bytes broken, and generated Responses-shaped objects whose fields have every type and repeat.
 */
class ResponsesEventHeadAgainstTreeTest {
    /** What the relay read of an event's tree; the sequence number with two fallbacks, as its reading depends on it. */
    record Reading(String type, boolean responseObject, boolean itemObject, int sequenceOrMinusOne, int sequenceOr41) {}

    private final ResponsesEventHead head = new ResponsesEventHead();

    @Test
    void recordedAndFuzzedEvents() throws IOException, URISyntaxException {
        List<byte[]> events = RecordedEvents.all();
        assertThat(events).hasSizeGreaterThan(1_000);
        assertThat(events).anySatisfy(event -> assertThat(new String(event, StandardCharsets.UTF_8))
                .contains("\"type\":\"response.output_text.delta\"", "\"sequence_number\""));
        events.forEach(this::readsAsTheTreeDoes);
    }

    @Test
    void brokenEvents() throws IOException, URISyntaxException {
        RecordedEvents.forEachBroken(17, 20_000, this::readsAsTheTreeDoes);
    }

    @Test
    void generatedEvents() {
        RecordedEvents.forEachGenerated(43, 30_000, ChunkShapes::responsesEvent, this::readsAsTheTreeDoes);
    }

    @Test
    void deepAndLongEvents() {
        String deep = "[".repeat(1_500) + "]".repeat(1_500);
        readsAsTheTreeDoes(("{\"type\":\"x\",\"delta\":" + deep + "}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"item\":" + "{\"a\":".repeat(900) + "1" + "}".repeat(900) + ",\"type\":\"c\"}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"type\":\"d\",\"delta\":\"" + "é".repeat(400_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"sequence_number\":" + "9".repeat(1_200) + "}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"sequence_number\":" + "9".repeat(900) + "}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"x\":[" + "9".repeat(1_200) + "],\"type\":\"t\"}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"x\":{\"y\":" + "9".repeat(1_200) + ".5e3}}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"sequence_number\":\"" + "9".repeat(1_200) + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private void readsAsTheTreeDoes(byte[] event) {
        String shown = RecordedEvents.shown(event);
        JsonNode tree = Json.parseOrNull(event);
        boolean object = tree != null && tree.isObject();
        assertThat(head.read(event)).as("a JSON object: %s", shown).isEqualTo(object);
        if (object) {
            Reading fromTree = new Reading(Json.text(tree, "type"), tree.path("response").isObject(), tree.path("item").isObject(),
                    tree.path("sequence_number").asInt(-1), tree.path("sequence_number").asInt(41));
            Reading scanned = new Reading(head.type(), head.hasResponseObject(), head.hasItemObject(), head.sequenceNumber(-1),
                    head.sequenceNumber(41));
            assertThat(scanned).as("reading %s", shown).isEqualTo(fromTree);
        }
    }
}
