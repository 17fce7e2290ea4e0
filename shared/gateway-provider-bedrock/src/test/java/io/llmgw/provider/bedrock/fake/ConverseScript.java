package io.llmgw.provider.bedrock.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Converse answer, written by hand as Bedrock sends it: as a JSON body to {@code /converse}, as event-stream
 * frames to {@code /converse-stream} ({@link #reply} picks by the request's path). Build with the chained methods:
 * {@code ConverseScript.answer().reasoning("…", "sig").andText("…").toolUse("tooluse_1", "get_weather", "{…}").stop("tool_use")}.
 */
public final class ConverseScript {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Part(String kind, String text, String signature, String id, String name, String input) {}

    private final List<Part> parts = new ArrayList<>();
    private String stopReason = "end_turn";
    private String stopSequence;
    private int inputTokens = 12;
    private int outputTokens = 7;
    private Integer cacheRead;
    private Integer cacheWrite;

    public static ConverseScript answer() {
        return new ConverseScript();
    }

    public static ConverseScript text(String text) {
        return answer().andText(text);
    }

    public ConverseScript andText(String text) {
        parts.add(new Part("text", text, null, null, null, null));
        return this;
    }

    public ConverseScript reasoning(String text, String signature) {
        parts.add(new Part("reasoning", text, signature, null, null, null));
        return this;
    }

    public ConverseScript toolUse(String id, String name, String inputJson) {
        parts.add(new Part("toolUse", null, null, id, name, inputJson));
        return this;
    }

    public ConverseScript stop(String reason) {
        stopReason = reason;
        return this;
    }

    /** Claude's matched stop sequence, in {@code additionalModelResponseFields}. */
    public ConverseScript stopSequence(String sequence) {
        stopReason = "stop_sequence";
        stopSequence = sequence;
        return this;
    }

    public ConverseScript usage(int input, int output) {
        inputTokens = input;
        outputTokens = output;
        return this;
    }

    public ConverseScript cache(int read, int write) {
        cacheRead = read;
        cacheWrite = write;
        return this;
    }

    /** The answer in the form the request asked for. */
    public Reply reply(RecordedRequest request) {
        return request.path().endsWith("/converse-stream") ? Reply.frames(EventStreams.CONTENT_TYPE, frames()) : Reply.json(200, body());
    }

    /** The whole answer, as {@code /converse} returns it. */
    public String body() {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode content = answer.putObject("output").putObject("message").put("role", "assistant").putArray("content");
        for (Part part : parts) {
            switch (part.kind()) {
                case "text" -> content.addObject().put("text", part.text());
                case "reasoning" -> content.addObject().putObject("reasoningContent").putObject("reasoningText")
                        .put("text", part.text()).put("signature", part.signature());
                default -> content.addObject().putObject("toolUse").put("toolUseId", part.id()).put("name", part.name())
                        .set("input", parse(part.input()));
            }
        }
        answer.put("stopReason", stopReason);
        answer.set("usage", usage());
        answer.putObject("metrics").put("latencyMs", 321);
        if (stopSequence != null) {
            answer.putObject("additionalModelResponseFields").put("stop_sequence", stopSequence);
        }
        return answer.toString();
    }

    /** The answer as ConverseStream frames: messageStart, the blocks, messageStop, metadata. */
    public List<byte[]> frames() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(EventStreams.event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}"));
        for (int index = 0; index < parts.size(); index++) {
            Part part = parts.get(index);
            switch (part.kind()) {
                case "text" -> {
                    int half = part.text().length() / 2;
                    frames.add(delta(index, JSON.createObjectNode().put("text", part.text().substring(0, half))));
                    frames.add(delta(index, JSON.createObjectNode().put("text", part.text().substring(half))));
                }
                case "reasoning" -> {
                    frames.add(delta(index, reasoningDelta("text", part.text())));
                    frames.add(delta(index, reasoningDelta("signature", part.signature())));
                }
                default -> {
                    ObjectNode start = JSON.createObjectNode().put("contentBlockIndex", index);
                    start.putObject("start").putObject("toolUse").put("toolUseId", part.id()).put("name", part.name());
                    frames.add(EventStreams.event("contentBlockStart", start.put("p", "abcd").toString()));
                    int half = part.input().length() / 2;
                    frames.add(delta(index, JSON.createObjectNode().set("toolUse",
                            JSON.createObjectNode().put("input", part.input().substring(0, half)))));
                    frames.add(delta(index, JSON.createObjectNode().set("toolUse",
                            JSON.createObjectNode().put("input", part.input().substring(half)))));
                }
            }
            frames.add(EventStreams.event("contentBlockStop", "{\"contentBlockIndex\":" + index + ",\"p\":\"abc\"}"));
        }
        ObjectNode stop = JSON.createObjectNode().put("stopReason", stopReason);
        if (stopSequence != null) {
            stop.putObject("additionalModelResponseFields").put("stop_sequence", stopSequence);
        }
        frames.add(EventStreams.event("messageStop", stop.put("p", "abcdefg").toString()));
        ObjectNode metadata = JSON.createObjectNode();
        metadata.set("usage", usage());
        metadata.putObject("metrics").put("latencyMs", 321);
        frames.add(EventStreams.event("metadata", metadata.put("p", "ab").toString()));
        return frames;
    }

    private ObjectNode usage() {
        ObjectNode usage = JSON.createObjectNode().put("inputTokens", inputTokens).put("outputTokens", outputTokens);
        int total = inputTokens + outputTokens;
        if (cacheRead != null) {
            usage.put("cacheReadInputTokens", cacheRead).put("cacheWriteInputTokens", cacheWrite);
            total += cacheRead + cacheWrite;
        }
        return usage.put("totalTokens", total);
    }

    private static ObjectNode reasoningDelta(String field, String value) {
        ObjectNode delta = JSON.createObjectNode();
        delta.putObject("reasoningContent").put(field, value);
        return delta;
    }

    private static byte[] delta(int index, ObjectNode delta) {
        ObjectNode event = JSON.createObjectNode().put("contentBlockIndex", index);
        event.set("delta", delta);
        return EventStreams.event("contentBlockDelta", event.put("p", "abcdef").toString());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
