package io.llmgw.core.protocol.openai;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random JSON objects shaped like chat-completions chunks (or Responses or Anthropic events), for checking a reader against the tree
 * code it replaced: mostly the fields a chunk has where it has them, but any of them may be of
 * another type, repeated, left out, or joined by fields that belong elsewhere; arrays are sometimes
 * objects; numbers and strings are the awkward ones (too big for an int, fractions, numeric text).
 */
public final class ChunkShapes {
    private sealed interface Shape permits Fields, Elements, Scalar {}

    private record Fields(Map<String, Shape> fields) implements Shape {}

    private record Elements(Shape element) implements Shape {}

    private enum Scalar implements Shape { TEXT, NUMBER, ANY }

    private static final List<String> TEXTS = List.of("\"\"", "\"0\"", "\"1\"", "\" 7 \"", "\"2.5\"", "\"+3\"", "\"abc\"",
            "\"gpt-4o\"", "\"stop\"", "\"END\"", "\"call_1\"", "\"\\u00e9\\\"q\\n\"", "\"日本 😀\"");
    private static final List<String> NUMBERS = List.of("0", "1", "-1", "2", "-0", "0.0", "0.9", "-2.5", "3e0", "1E2", "1e400",
            "-1e400", "2147483647", "2147483648", "-2147483649", "4294967301", "9223372036854775807", "-9223372036854775809",
            "123456789012345678901234567890", "1.5e-300");
    private static final List<String> OTHERS = List.of("null", "true", "false", "{}", "[]", "[null]", "{\"index\":0}");

    private static final Fields FRAGMENT = new Fields(Map.of(
            "index", Scalar.NUMBER, "id", Scalar.TEXT, "type", Scalar.TEXT,
            "function", new Fields(Map.of("name", Scalar.TEXT, "arguments", Scalar.TEXT)),
            "extra_content", new Fields(Map.of("google", new Fields(Map.of("thought_signature", Scalar.TEXT))))));
    private static final Fields DELTA = new Fields(Map.of(
            "role", Scalar.TEXT, "content", Scalar.TEXT, "reasoning_content", Scalar.TEXT, "refusal", Scalar.ANY,
            "reasoning", new Fields(Map.of("text", Scalar.TEXT, "content", Scalar.TEXT)),
            "tool_calls", new Elements(FRAGMENT)));
    private static final Fields CHOICE = new Fields(Map.of(
            "index", Scalar.NUMBER, "delta", DELTA, "finish_reason", Scalar.TEXT, "logprobs", Scalar.ANY,
            "stop_reason", Scalar.TEXT, "matched_stop", Scalar.TEXT));
    private static final Fields USAGE = new Fields(Map.of(
            "prompt_tokens", Scalar.NUMBER, "completion_tokens", Scalar.NUMBER, "total_tokens", Scalar.NUMBER,
            "prompt_tokens_details", new Fields(Map.of("cached_tokens", Scalar.NUMBER)),
            "completion_tokens_details", new Fields(Map.of("reasoning_tokens", Scalar.NUMBER))));
    private static final Fields CHUNK = new Fields(Map.of(
            "id", Scalar.TEXT, "model", Scalar.TEXT, "object", Scalar.TEXT, "error", Scalar.ANY, "usage", USAGE,
            "choices", new Elements(CHOICE)));
    private static final Fields ANTHROPIC_EVENT = new Fields(Map.of(
            "type", Scalar.TEXT, "index", Scalar.NUMBER, "delta", new Fields(Map.of("type", Scalar.TEXT, "text", Scalar.TEXT,
                    "thinking", Scalar.TEXT, "signature", Scalar.TEXT, "partial_json", Scalar.TEXT, "stop_reason", Scalar.TEXT)),
            "content_block", new Fields(Map.of("type", Scalar.TEXT, "text", Scalar.TEXT)), "usage", USAGE));
    private static final Fields RESPONSES_EVENT = new Fields(Map.of(
            "type", Scalar.TEXT, "sequence_number", Scalar.NUMBER, "delta", Scalar.TEXT, "item_id", Scalar.TEXT,
            "output_index", Scalar.NUMBER, "response", new Fields(Map.of("id", Scalar.TEXT, "model", Scalar.TEXT, "usage", USAGE)),
            "item", new Fields(Map.of("type", Scalar.TEXT, "id", Scalar.TEXT, "arguments", Scalar.TEXT)), "error", Scalar.ANY));
    /** Every field name any level has, for fields put where they do not belong. */
    private static final List<String> ALL_NAMES = List.of("id", "model", "error", "usage", "choices", "index", "delta",
            "finish_reason", "logprobs", "content", "reasoning_content", "reasoning", "tool_calls", "function", "name",
            "arguments", "extra_content", "google", "thought_signature", "prompt_tokens", "prompt_tokens_details",
            "cached_tokens", "text", "type", "sequence_number", "response", "item", "thinking", "signature", "partial_json", "x");

    private ChunkShapes() {}

    /** A chunk-shaped JSON object. */
    static String chunk(SplittableRandom random) {
        return fields(random, CHUNK, 0);
    }

    /** A JSON object shaped like an Anthropic Messages stream event. */
    public static String anthropicEvent(SplittableRandom random) {
        return fields(random, ANTHROPIC_EVENT, 0);
    }

    /** A JSON object shaped like a Responses stream event. */
    static String responsesEvent(SplittableRandom random) {
        return fields(random, RESPONSES_EVENT, 0);
    }

    private static String value(SplittableRandom random, Shape shape, int depth) {
        if (random.nextInt(8) == 0) {
            return any(random, depth);  // the wrong type, or a right one by chance
        }
        return switch (shape) {
            case Fields fields -> fields(random, fields, depth);
            case Elements elements -> random.nextInt(6) == 0 ? keyed(random, elements.element(), depth)
                    : elements(random, elements.element(), depth);
            case Scalar scalar when scalar == Scalar.TEXT -> pick(random, TEXTS);
            case Scalar scalar when scalar == Scalar.NUMBER -> pick(random, NUMBERS);
            case Scalar scalar -> any(random, depth);
        };
    }

    private static String fields(SplittableRandom random, Fields shape, int depth) {
        List<String> names = List.copyOf(shape.fields().keySet());
        StringBuilder out = new StringBuilder("{");
        int count = random.nextInt(names.size() + 3);
        for (int i = 0; i < count; i++) {
            boolean stray = random.nextInt(6) == 0;
            String name = stray ? pick(random, ALL_NAMES) : pick(random, names);
            Shape field = stray ? Scalar.ANY : shape.fields().get(name);
            out.append(i == 0 ? "" : ",").append('"').append(name).append("\":").append(value(random, field, depth + 1));
        }
        return out.append('}').toString();
    }

    private static String elements(SplittableRandom random, Shape element, int depth) {
        StringBuilder out = new StringBuilder("[");
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append(value(random, element, depth + 1));
        }
        return out.append(']').toString();
    }

    /** What some servers send instead of an array: an object of the elements under made-up keys. */
    private static String keyed(SplittableRandom random, Shape element, int depth) {
        StringBuilder out = new StringBuilder("{");
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append("\"k").append(random.nextInt(3)).append("\":").append(value(random, element, depth + 1));
        }
        return out.append('}').toString();
    }

    private static String any(SplittableRandom random, int depth) {
        return switch (depth > 6 ? random.nextInt(3) : random.nextInt(5)) {
            case 0 -> pick(random, TEXTS);
            case 1 -> pick(random, NUMBERS);
            case 2 -> pick(random, OTHERS);
            case 3 -> fields(random, CHOICE, depth);
            default -> elements(random, FRAGMENT, depth);
        };
    }

    private static String pick(SplittableRandom random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
