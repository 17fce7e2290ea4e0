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

    /**
     * The event's type as the Anthropic and Responses streams mean it: its {@code event:} name when
     * it has one, else {@code dataType}, the {@code type} its data declares.
     */
    public String type(String dataType) {
        return event != null ? event : dataType;
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
