package io.llmgw.core.provider.mock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Ids;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Role;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.model.Usage;
import io.llmgw.core.routing.TokenEstimate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the mock answers (README, "Mock upstream"), decided from the request alone:
 * <ul>
 *   <li>after tool results: "The tool returned: …" (or "The tool failed: …") and a normal stop,
 *       so the agent loops of Claude Code and Codex end;</li>
 *   <li>when the last user text says {@code use the tool NAME} (optionally followed by
 *       {@code args {…JSON…}}) and NAME is one of the request's tools, or {@code tool_choice}
 *       forces a call: "Calling NAME." and a call of it, with the given arguments or else a
 *       placeholder for each required property of its schema;</li>
 *   <li>otherwise "You said: " and the last user text.</li>
 * </ul>
 * A word (with the whitespace before it) is one token; a client's max tokens cuts the text there.
 * Quoted text is bounded by {@link #MAX_QUOTED_CHARS}, so the answer is too, whatever the request.
 *
 * @param words the text, word by word, each with the whitespace before it
 * @param call  the tool call made, or null
 */
record MockReply(List<String> words, Block.ToolCall call, StopReason stop, Usage usage) {
    static final int MAX_QUOTED_CHARS = 4_000;
    /** The phrase this project's captured Claude Code and Codex sessions use to ask for a tool call. */
    private static final Pattern TOOL_REQUEST = Pattern.compile("(?i)\\buse the tool\\s+([A-Za-z0-9_.:-]+)");
    private static final Pattern ARGS = Pattern.compile("(?i)\\s+args\\s+");
    private static final Pattern WORD = Pattern.compile("\\s*\\S+");
    private static final int LISTED_TOOLS = 20;
    private static final int MAX_SCHEMA_DEPTH = 8;
    /** Reads the first JSON value of a text and leaves the rest (the prompt may go on after the args). */
    private static final ObjectReader LEADING_VALUE = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static MockReply to(CanonicalRequest request) {
        Message last = lastUserMessage(request);
        Block.ToolResult result = last == null ? null : lastOf(last.content(), Block.ToolResult.class);
        if (result != null) {
            Block.Text output = lastOf(result.content(), Block.Text.class);
            return text(request, (result.isError() ? "The tool failed: " : "The tool returned: ")
                    + (output == null ? "nothing" : quoted(output.text())));
        }
        Block.Text said = last == null ? null : lastOf(last.content(), Block.Text.class);
        String text = said == null ? "" : quoted(said.text());
        Matcher asked = TOOL_REQUEST.matcher(text);
        String askedName = asked.find() ? asked.group(1) : null;
        ToolDefinition askedTool = askedName == null ? null : tool(request, askedName);
        if (askedName != null && askedTool == null) {
            return text(request, "There is no tool named " + askedName + " in this request; " + offered(request.tools()));
        }
        ToolChoice choice = request.toolChoice() == null ? ToolChoice.AUTO : request.toolChoice();
        ToolDefinition called = switch (choice.mode()) {
            case NONE -> null;
            case TOOL -> tool(request, choice.name());
            case ANY -> askedTool != null ? askedTool : request.hasTools() ? request.tools().get(0) : null;
            case AUTO -> askedTool;
        };
        if (called != null) {
            String rest = called == askedTool ? text.substring(asked.end()) : "";
            Matcher args = ARGS.matcher(rest);
            if (args.lookingAt()) {
                ObjectNode given = jsonObjectAt(rest, args.end());
                if (given == null) {
                    return text(request, "The args for " + called.name() + " are not a JSON object; write e.g. use the tool "
                            + called.name() + " args {\"name\": \"value\"}");
                }
                return call(request, called, given);
            }
            return call(request, called, placeholders(called.inputSchema(), 0));
        }
        return text(request, text.isBlank() ? "You said nothing I can echo." : "You said: " + text);
    }

    private static MockReply text(CanonicalRequest request, String text) {
        List<String> words = words(text);
        Integer max = request.maxOutputTokens();
        boolean cut = max != null && words.size() > max;
        if (cut) {
            words = words.subList(0, Math.max(max, 0));
        }
        return new MockReply(words, null, cut ? StopReason.MAX_TOKENS : StopReason.END_TURN, usage(request, words.size()));
    }

    private static MockReply call(CanonicalRequest request, ToolDefinition tool, ObjectNode arguments) {
        List<String> words = words("Calling " + tool.name() + ".");
        String json = Json.string(arguments);
        Block.ToolCall call = new Block.ToolCall(Ids.random("call_"), tool.name(), json);
        return new MockReply(words, call, StopReason.TOOL_USE, usage(request, words.size() + Math.max(1, TokenEstimate.ofJsonBytes(json.length()))));
    }

    /** The prompt estimated as the gateway's routing does (about four characters a token); the output counted in words. */
    private static Usage usage(CanonicalRequest request, int outputTokens) {
        return new Usage(Math.max(1, TokenEstimate.of(request)), outputTokens, 0, 0, 0);
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            words.add(word.group());
        }
        return words;
    }

    private static Message lastUserMessage(CanonicalRequest request) {
        List<Message> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return messages.get(i);
            }
        }
        return null;
    }

    private static <T extends Block> T lastOf(List<Block> blocks, Class<T> type) {
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (type.isInstance(blocks.get(i))) {
                return type.cast(blocks.get(i));
            }
        }
        return null;
    }

    /** At most {@link #MAX_QUOTED_CHARS} of {@code text}, never ending inside a surrogate pair. */
    private static String quoted(String text) {
        if (text.length() <= MAX_QUOTED_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_QUOTED_CHARS - 1)) ? MAX_QUOTED_CHARS - 1 : MAX_QUOTED_CHARS;
        return text.substring(0, end) + " …";
    }

    /** The tool of that name: as written, else ignoring case. */
    private static ToolDefinition tool(CanonicalRequest request, String name) {
        ToolDefinition loose = null;
        for (ToolDefinition tool : request.tools()) {
            if (tool.name().equals(name)) {
                return tool;
            }
            if (loose == null && tool.name().equalsIgnoreCase(name)) {
                loose = tool;
            }
        }
        return loose;
    }

    private static String offered(List<ToolDefinition> tools) {
        if (tools.isEmpty()) {
            return "it offers no tools.";
        }
        List<String> names = tools.stream().limit(LISTED_TOOLS).map(ToolDefinition::name).toList();
        return "the tools offered are " + String.join(", ", names) + (tools.size() > LISTED_TOOLS ? " and more." : ".");
    }

    /** The JSON object starting at {@code from}; what follows it is ignored. Null when there is none. */
    private static ObjectNode jsonObjectAt(String text, int from) {
        try (JsonParser parser = Json.MAPPER.createParser(text.substring(from))) {
            return LEADING_VALUE.readTree(parser) instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A value for each required property of an object schema, so the call passes the client's validation. */
    static ObjectNode placeholders(JsonNode schema, int depth) {
        ObjectNode arguments = Json.object();
        if (schema == null || depth > MAX_SCHEMA_DEPTH) {
            return arguments;
        }
        for (JsonNode required : schema.path("required")) {
            if (required.isTextual()) {
                arguments.set(required.textValue(), placeholder(schema.path("properties").path(required.textValue()), depth));
            }
        }
        return arguments;
    }

    private static JsonNode placeholder(JsonNode property, int depth) {
        if (property.has("const")) {
            return property.get("const");
        }
        if (property.path("enum").isArray() && !property.path("enum").isEmpty()) {
            return property.path("enum").get(0);
        }
        String type = property.path("type").asText("string");
        for (JsonNode option : property.path("type")) {
            if (!option.asText().equals("null")) {
                type = option.asText();
                break;
            }
        }
        return switch (type) {
            case "integer", "number" -> property.path("minimum").isNumber() ? property.get("minimum") : IntNode.valueOf(0);
            case "boolean" -> BooleanNode.FALSE;
            case "array" -> Json.NODES.arrayNode();
            case "object" -> placeholders(property, depth + 1);
            case "null" -> NullNode.instance;
            default -> TextNode.valueOf("mock");
        };
    }
}
