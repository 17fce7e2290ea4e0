package io.llmgw.core.dialect.anthropic;

/**
 * Tracks whether streamed JSON text has closed its top-level object, without parsing it: bracket
 * depth outside strings, string and escape state. Enough to know that a tool call's arguments are
 * whole, in one pass over each fragment and without allocating.
 */
final class JsonCompleteness {
    private int depth;
    private boolean opened;
    private boolean inString;
    private boolean escaped;

    void reset() {
        depth = 0;
        opened = false;
        inString = false;
        escaped = false;
    }

    void feed(String fragment) {
        for (int i = 0; i < fragment.length(); i++) {
            char c = fragment.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
                opened = true;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
    }

    /** True once an object or array was opened and closed again. */
    boolean complete() {
        return opened && depth <= 0 && !inString;
    }
}
