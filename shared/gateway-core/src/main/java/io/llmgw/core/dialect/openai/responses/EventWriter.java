package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.openai.ResponsesWire;
import io.llmgw.core.stream.SseFrames;
import java.util.function.Consumer;

/**
 * Numbers and frames Responses events: {@code sequence_number} counts from 0 across the whole
 * stream, every event goes out as {@code event: <type>} plus its JSON. Without a sink (a
 * non-streamed answer built by the same state machine) events are numbered but not written.
 */
final class EventWriter {
    private final Consumer<byte[]> sink;
    private int sequence;

    /** @param sink where frames go, or null to write nothing */
    EventWriter(Consumer<byte[]> sink) {
        this.sink = sink;
    }

    /** A new event of {@code type} carrying the next sequence number; the caller adds its fields and {@link #send}s it. */
    ObjectNode event(String type) {
        ObjectNode event = Json.object();
        event.put("type", type);
        event.put("sequence_number", sequence++);
        return event;
    }

    /** An item-scoped event ({@code item_id}, {@code output_index}). */
    ObjectNode itemEvent(String type, String itemId, int outputIndex) {
        ObjectNode event = event(type);
        event.put("item_id", itemId);
        event.put("output_index", outputIndex);
        return event;
    }

    void send(ObjectNode event) {
        if (sink != null) {
            sink.accept(SseFrames.event(event.get("type").textValue(), Json.bytes(event)));
        }
    }

    /** A delta event of the item {@code frames} were made for. */
    void delta(DeltaFrames frames, String delta) {
        int number = sequence++;
        if (sink != null) {
            sink.accept(frames.frame(number, delta));
        }
    }

    /** A lifecycle event carrying the response object ({@code response.created}, the terminal events). */
    void lifecycle(String type, ObjectNode response) {
        int number = sequence++;
        if (sink != null) {
            sink.accept(ResponsesWire.lifecycleFrame(type, number, response));
        }
    }

    /** The end marker after the terminal event. */
    void done() {
        if (sink != null) {
            sink.accept(SseFrames.DONE);
        }
    }
}
