package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.SseFrames;
import java.nio.charset.StandardCharsets;

/**
 * The delta events of one item, framed straight into bytes around the JSON-quoted delta. Deltas
 * are nearly every event of a stream, and a JSON tree per delta cost more than the rest of the
 * translation; the bytes are the ones the tree would serialize to, field for field.
 */
final class DeltaFrames {
    private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();

    private final String type;
    private final String itemId;
    private final int outputIndex;
    private final String partField;
    private final boolean logprobs;
    private final byte[] head;
    private final byte[] middle;
    private final byte[] tail;

    /**
     * @param partField {@code content_index} or {@code summary_index} (always 0 here), or null
     * @param logprobs  whether the event carries an empty {@code logprobs} list (text deltas do)
     */
    DeltaFrames(String type, String itemId, int outputIndex, String partField, boolean logprobs) {
        this.type = type;
        this.itemId = itemId;
        this.outputIndex = outputIndex;
        this.partField = partField;
        this.logprobs = logprobs;
        this.head = ("event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":").getBytes(StandardCharsets.UTF_8);
        this.middle = (",\"item_id\":\"" + itemId + "\",\"output_index\":" + outputIndex
                + (partField == null ? "" : ",\"" + partField + "\":0") + ",\"delta\":\"").getBytes(StandardCharsets.UTF_8);
        this.tail = ((logprobs ? "\",\"logprobs\":[]}" : "\"}") + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    byte[] frame(int sequence, String delta) {
        byte[] quoted;
        try {
            quoted = QUOTER.quoteAsUTF8(delta);
        } catch (IllegalArgumentException unpairedSurrogate) {
            return treeFrame(sequence, delta);  // the tree writer escapes a lone surrogate instead of refusing it
        }
        int digits = digits(sequence);
        byte[] frame = new byte[head.length + digits + middle.length + quoted.length + tail.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        int at = head.length + digits;
        for (int n = sequence, i = at - 1; i >= head.length; i--, n /= 10) {
            frame[i] = (byte) ('0' + n % 10);
        }
        System.arraycopy(middle, 0, frame, at, middle.length);
        at += middle.length;
        System.arraycopy(quoted, 0, frame, at, quoted.length);
        System.arraycopy(tail, 0, frame, at + quoted.length, tail.length);
        return frame;
    }

    private byte[] treeFrame(int sequence, String delta) {
        ObjectNode event = Json.object().put("type", type).put("sequence_number", sequence).put("item_id", itemId)
                .put("output_index", outputIndex);
        if (partField != null) {
            event.put(partField, 0);
        }
        event.put("delta", delta);
        if (logprobs) {
            event.putArray("logprobs");
        }
        return SseFrames.event(type, Json.bytes(event));
    }

    private static int digits(int n) {
        int digits = 1;
        while (n >= 10) {
            n /= 10;
            digits++;
        }
        return digits;
    }
}
