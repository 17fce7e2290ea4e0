package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns the streamed arguments of a custom tool's call, which upstreams that only know function
 * tools produce as {@code {"input": "<raw>"}}, back into the raw input, piece by piece as the
 * fragments arrive, so {@code response.custom_tool_call_input.delta} streams as it would from
 * OpenAI. Arguments in any other shape are not streamed; {@link #finish} then gives the whole
 * input at once (the string value of {@code input} if the arguments parse as such an object,
 * else the arguments as they are).
 */
final class CustomToolInput {
    private static final Pattern VALUE_START = Pattern.compile("\\s*\\{\\s*\"input\"\\s*:\\s*\"");
    private static final Pattern VALUE_START_PREFIX = Pattern.compile("\\s*(\\{\\s*(\"(i(n(p(u(t(\"\\s*(:\\s*)?)?)?)?)?)?)?)?)?");

    private enum State { SEEKING, IN_VALUE, DONE, NOT_WRAPPED }

    private final StringBuilder arguments = new StringBuilder();
    private final StringBuilder emitted = new StringBuilder();
    private State state = State.SEEKING;
    private int position;

    /** Adds an arguments fragment; returns the raw input it completes (possibly empty). */
    String feed(String fragment) {
        arguments.append(fragment);
        if (state == State.SEEKING) {
            seek();
        }
        if (state != State.IN_VALUE) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        while (position < arguments.length()) {
            char c = arguments.charAt(position);
            if (c == '"') {
                state = State.DONE;
                break;
            }
            if (c != '\\') {
                if (Character.isHighSurrogate(c) && position + 1 == arguments.length()) {
                    break;  // its pair comes with the next fragment
                }
                out.append(c);
                position++;
                continue;
            }
            int consumed = unescape(out);
            if (consumed < 0) {
                state = State.NOT_WRAPPED;  // not JSON after all: finish() sorts it out
                break;
            }
            if (consumed == 0) {
                break;  // the escape sequence is not complete yet
            }
            position += consumed;
        }
        if (!out.isEmpty() && Character.isHighSurrogate(out.charAt(out.length() - 1)) && state != State.DONE) {
            // a \\uD83D escape whose low half is still to come: hold the half back
            out.setLength(out.length() - 1);
            position -= 6;
        }
        emitted.append(out);
        return out.toString();
    }

    /** The whole raw input, once every fragment is in. */
    String input() {
        String raw = arguments.toString();
        try {
            JsonNode parsed = Json.parse(raw.getBytes(StandardCharsets.UTF_8));
            if (parsed != null && parsed.isObject() && parsed.path("input").isTextual()) {
                return parsed.get("input").textValue();
            }
        } catch (IOException | RuntimeException notJson) {
            // the model wrote the raw input without the wrapper
        }
        return raw;
    }

    /** What of {@link #input()} has not been streamed yet, or null when the streamed pieces do not lead to it. */
    String finish() {
        String input = input();
        return input.startsWith(emitted.toString()) ? input.substring(emitted.length()) : null;
    }

    private void seek() {
        var matcher = VALUE_START.matcher(arguments);
        if (matcher.lookingAt()) {
            position = matcher.end();
            state = State.IN_VALUE;
        } else if (!VALUE_START_PREFIX.matcher(arguments).matches()) {
            state = State.NOT_WRAPPED;
        }
    }

    /** Decodes the escape at {@link #position} into {@code out}; returns its length, 0 if it is cut off, -1 if invalid. */
    private int unescape(StringBuilder out) {
        if (position + 1 >= arguments.length()) {
            return 0;
        }
        char kind = arguments.charAt(position + 1);
        switch (kind) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> {
                if (position + 6 > arguments.length()) {
                    return 0;
                }
                try {
                    out.append((char) Integer.parseInt(arguments.substring(position + 2, position + 6), 16));
                } catch (NumberFormatException e) {
                    return -1;
                }
                return 6;
            }
            default -> out.append(kind);  // \" \\ \/
        }
        return 2;
    }
}
