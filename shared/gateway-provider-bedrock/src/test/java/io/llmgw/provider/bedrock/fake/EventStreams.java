package io.llmgw.provider.bedrock.fake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/** ConverseStream messages as Bedrock frames them, encoded with AWS's event-stream library. */
public final class EventStreams {
    public static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private EventStreams() {}

    /** An event: {@code :event-type}, {@code :content-type: application/json}, {@code :message-type: event}. */
    public static byte[] event(String type, String json) {
        return message(":event-type", type, "event", json);
    }

    /** An exception mid-stream, e.g. {@code throttlingException} with {@code {"message": …}}. */
    public static byte[] exception(String type, String json) {
        return message(":exception-type", type, "exception", json);
    }

    private static byte[] message(String typeHeader, String type, String messageType, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(typeHeader, HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString(messageType));
        return encode(headers, json);
    }

    private static byte[] encode(Map<String, HeaderValue> headers, String json) {
        ByteBuffer buffer = new Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
