package io.llmgw.core.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One dispatched server-sent event.
 *
 * @param event the {@code event:} field, or null when the event had none
 * @param data  the UTF-8 bytes of the joined {@code data:} lines (joined with {@code \n})
 */
public record SseEvent(String event, byte[] data) {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    public String dataText() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** True for the chat-completions end marker {@code data: [DONE]}. */
    public boolean isDone() {
        return Arrays.equals(data, DONE);
    }

    @Override
    public String toString() {
        return "SseEvent[event=" + event + ", data=" + dataText() + "]";
    }
}
