package io.llmgw.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A scripted Anthropic Messages answer — thinking with its signature, redacted thinking, text,
 * tool_use blocks whose input streams as {@code input_json_delta} fragments (several make parallel
 * calls), usage with cache reads and writes, any stop reason — rendered as one {@code message} body
 * or as the event stream (docs/protocol-mapping.md#upstream-anthropic-stream) depending on the request, the way Anthropic sends it.
 * The frames are written by hand, independently of the gateway's own Anthropic code.
 */
public final class AnthropicScript {
    private static final ObjectMapper JSON = new ObjectMapper();

    private sealed interface Part {}

    private record Text(String text) implements Part {}

    private record Thinking(String text, String signature) implements Part {}

    private record Redacted(String data) implements Part {}

    private record ToolUse(String id, String name, String inputJson) implements Part {}

    private final List<Part> parts = new ArrayList<>();
    private String id = "msg_01FakeAnthropicUpstream01";
    private String model = "claude-sonnet-4-5-20250929";
    private int chunkSize = 5;
    private int inputFragments = 3;
    private int inputTokens = 25;
    private int outputTokens = 12;
    private int cacheRead;
    private int cacheCreation;
    private String stopReason;
    private String stopSequence;
    private boolean ping;

    private AnthropicScript() {}

    public static AnthropicScript text(String text) {
        return new AnthropicScript().andText(text);
    }

    public static AnthropicScript empty() {
        return new AnthropicScript();
    }

    public AnthropicScript andText(String text) {
        parts.add(new Text(text));
        return this;
    }

    /** A thinking block: its text as thinking_delta events, then its signature as a signature_delta. */
    public AnthropicScript thinking(String text, String signature) {
        parts.add(new Thinking(text, signature));
        return this;
    }

    /** A redacted_thinking block, which arrives whole in its start event. */
    public AnthropicScript redactedThinking(String data) {
        parts.add(new Redacted(data));
        return this;
    }

    /** A tool_use block; several make parallel calls, one block after another. */
    public AnthropicScript toolUse(String toolId, String name, String inputJson) {
        parts.add(new ToolUse(toolId, name, inputJson));
        return this;
    }

    /** Characters per text or thinking delta. */
    public AnthropicScript chunkSize(int characters) {
        chunkSize = characters;
        return this;
    }

    /** How many input_json_delta fragments each tool input is split into (after the empty first one). */
    public AnthropicScript inputFragments(int count) {
        inputFragments = count;
        return this;
    }

    /** Anthropic's counts: {@code input} excludes cached tokens. */
    public AnthropicScript usage(int input, int output) {
        inputTokens = input;
        outputTokens = output;
        return this;
    }

    public AnthropicScript cache(int read, int creation) {
        cacheRead = read;
        cacheCreation = creation;
        return this;
    }

    public AnthropicScript stopReason(String reason) {
        stopReason = reason;
        return this;
    }

    public AnthropicScript stopSequence(String sequence) {
        stopReason = "stop_sequence";
        stopSequence = sequence;
        return this;
    }

    public AnthropicScript model(String name) {
        model = name;
        return this;
    }

    public AnthropicScript id(String messageId) {
        id = messageId;
        return this;
    }

    /** A ping right after message_start, as Anthropic often sends one. */
    public AnthropicScript ping() {
        ping = true;
        return this;
    }

    /** A handler answering every request with this script. */
    public Function<RecordedRequest, Reply> handler() {
        return this::reply;
    }

    public Reply reply(RecordedRequest request) {
        return request.wantsStream() ? Reply.rawSse(frames()).header("content-type", "text/event-stream; charset=utf-8")
                : Reply.json(200, message());
    }

    private String stop() {
        return stopReason != null ? stopReason : parts.stream().anyMatch(p -> p instanceof ToolUse) ? "tool_use" : "end_turn";
    }

    /** The non-streamed {@code message} body. */
    public String message() {
        ObjectNode message = envelope();
        ArrayNode content = message.putArray("content");
        for (Part part : parts) {
            switch (part) {
                case Text t -> content.addObject().put("type", "text").put("text", t.text());
                case Thinking t -> content.addObject().put("type", "thinking").put("thinking", t.text()).put("signature", t.signature());
                case Redacted r -> content.addObject().put("type", "redacted_thinking").put("data", r.data());
                case ToolUse u -> content.addObject().put("type", "tool_use").put("id", u.id()).put("name", u.name())
                        .set("input", parse(u.inputJson()));
            }
        }
        message.put("stop_reason", stop());
        message.put("stop_sequence", stopSequence);
        message.set("usage", usage(outputTokens));
        return ChatScript.write(message);
    }

    /** The stream's frames in order, each {@code event: <type>\ndata: <json>\n\n}. */
    public List<String> frames() {
        List<String> frames = new ArrayList<>();
        ObjectNode start = envelope();
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        start.set("usage", usage(1));
        frames.add(frame(event("message_start").set("message", start)));
        if (ping) {
            frames.add(frame(event("ping")));
        }
        for (int index = 0; index < parts.size(); index++) {
            blockFrames(parts.get(index), index, frames);
        }
        ObjectNode delta = event("message_delta");
        delta.putObject("delta").put("stop_reason", stop()).put("stop_sequence", stopSequence);
        delta.set("usage", usage(outputTokens));  // cumulative, as Anthropic now sends it: every count again
        frames.add(frame(delta));
        frames.add(frame(event("message_stop")));
        return frames;
    }

    private void blockFrames(Part part, int index, List<String> frames) {
        ObjectNode start = event("content_block_start").put("index", index);
        ObjectNode block = start.putObject("content_block");
        switch (part) {
            case Text t -> {
                block.put("type", "text").put("text", "");
                frames.add(frame(start));
                ChatScript.split(t.text(), chunkSize).forEach(piece -> frames.add(delta(index, "text_delta", "text", piece)));
            }
            case Thinking t -> {
                block.put("type", "thinking").put("thinking", "").put("signature", "");
                frames.add(frame(start));
                ChatScript.split(t.text(), chunkSize).forEach(piece -> frames.add(delta(index, "thinking_delta", "thinking", piece)));
                frames.add(delta(index, "signature_delta", "signature", t.signature()));
            }
            case Redacted r -> {
                block.put("type", "redacted_thinking").put("data", r.data());
                frames.add(frame(start));
            }
            case ToolUse u -> {
                block.put("type", "tool_use").put("id", u.id()).put("name", u.name()).putObject("input");
                frames.add(frame(start));
                frames.add(delta(index, "input_json_delta", "partial_json", ""));
                int size = Math.max(1, (u.inputJson().length() + inputFragments - 1) / inputFragments);
                ChatScript.split(u.inputJson(), size).forEach(piece -> frames.add(delta(index, "input_json_delta", "partial_json", piece)));
            }
        }
        frames.add(frame(event("content_block_stop").put("index", index)));
    }

    /** An {@code event: error} frame, as Anthropic sends it after the 200 (e.g. overloaded_error). */
    public static String errorFrame(String type, String message) {
        return frame(JSON.createObjectNode().put("type", "error").set("error", error(type, message)));
    }

    /** An error response body. */
    public static String errorBody(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.set("error", error(type, message));
        body.put("request_id", "req_011FakeAnthropicUpstream");
        return ChatScript.write(body);
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("type", type).put("message", message);
    }

    private ObjectNode envelope() {
        return JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    }

    private ObjectNode usage(int output) {
        return JSON.createObjectNode().put("input_tokens", inputTokens).put("cache_creation_input_tokens", cacheCreation)
                .put("cache_read_input_tokens", cacheRead).put("output_tokens", output);
    }

    private static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static String delta(int index, String type, String field, String value) {
        ObjectNode event = event("content_block_delta").put("index", index);
        event.putObject("delta").put("type", type).put(field, value);
        return frame(event);
    }

    private static String frame(ObjectNode event) {
        return "event: " + event.get("type").asText() + "\ndata: " + ChatScript.write(event) + "\n\n";
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("tool input is not JSON: " + json, e);
        }
    }
}
