package io.llmgw.core.protocol.anthropic;

import io.llmgw.core.model.Ids;

/**
 * Tool-use ids as Anthropic accepts them ({@code ^[a-zA-Z0-9_-]+$}). Other servers mint ids such
 * as {@code functions.Bash:0}; once a client stores one, every later request of that conversation
 * would be rejected by a real Anthropic upstream. The same deterministic rewrite is applied to ids
 * going to the client and to ids coming back, so tool_use and tool_result stay paired.
 */
public final class ToolIds {
    private ToolIds() {}

    /** {@code id} with every character outside {@code [a-zA-Z0-9_-]} replaced by {@code _}; a fresh {@code toolu_} id when empty. */
    public static String sanitize(String id) {
        if (id == null || id.isEmpty()) {
            return Ids.random("toolu_");
        }
        char[] chars = null;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!valid(c)) {
                if (chars == null) {
                    chars = id.toCharArray();
                }
                chars[i] = '_';
            }
        }
        return chars == null ? id : new String(chars);
    }

    private static boolean valid(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
