package io.llmgw.core.json;

/**
 * Where two top-level members of a JSON object are, found by skimming its bytes: only quotes,
 * escapes and brackets are looked at on the way, so what lies between — an answer's choices, its
 * text — is passed over without being tokenised. {@link Json#topLevel} reads an upstream answer's
 * model name and usage this way; Jackson's streaming parser, which it used before, canonicalises
 * every name and parses every number it skips, and on a whole answer's way back to the client that
 * was the larger part of reading those two fields (README › Benchmarks › Jackson left out of the
 * answer's skim). Nothing maintained finds a member's byte span without tokenising what precedes
 * it, hence this class.
 *
 * <p>The skim answers only what it reads plainly; anything else — a name or the wanted string with
 * an escape or a non-ASCII byte, bytes out of place, a document that ends before it is answered —
 * is {@code null}, and the caller reads the document with Jackson instead, which decides. Like the
 * parser it replaces, it reads nothing after both members are found, and the first of a repeated
 * name counts.
 */
final class TopLevelSkim {
    /** A member's value: from {@code start} to {@code end} (exclusive); -1 for both when the object has no such member. */
    record Span(int start, int end) {
        static final Span NONE = new Span(-1, -1);

        boolean present() {
            return start >= 0;
        }
    }

    /**
     * What the skim found: the string member's value (quotes included), {@link Span#NONE} when there
     * is none or it is no string; the other member's value, {@link Span#NONE} when there is none.
     */
    record Found(Span string, Span value) {}

    private TopLevelSkim() {}

    /** The two members of the object {@code json} is, or null when the skim cannot tell plainly. */
    static Found find(byte[] json, String stringName, String valueName) {
        int at = whitespace(json, 0);
        if (at >= json.length || json[at] != '{') {
            return null;
        }
        Span string = Span.NONE;
        Span value = Span.NONE;
        boolean stringDone = stringName == null;
        at = whitespace(json, at + 1);
        if (at < json.length && json[at] == '}') {
            return new Found(string, value);
        }
        while (true) {
            if (at >= json.length || json[at] != '"') {
                return null;
            }
            int nameStart = at + 1;
            int nameEnd = plainStringEnd(json, at);
            if (nameEnd < 0) {
                return null;
            }
            at = whitespace(json, nameEnd + 1);
            if (at >= json.length || json[at] != ':') {
                return null;
            }
            int start = whitespace(json, at + 1);
            int end = valueEnd(json, start);
            if (end < 0) {
                return null;
            }
            if (!stringDone && named(json, nameStart, nameEnd, stringName)) {
                stringDone = true;
                if (json[start] == '"') {
                    if (plainStringEnd(json, start) != end - 1) {
                        return null;  // an escape or a non-ASCII byte in it: Jackson decodes it
                    }
                    string = new Span(start, end);
                }
            } else if (!value.present() && named(json, nameStart, nameEnd, valueName)) {
                value = new Span(start, end);
            }
            if (stringDone && value.present()) {
                return new Found(string, value);
            }
            at = whitespace(json, end);
            if (at >= json.length) {
                return null;
            }
            if (json[at] == '}') {
                return new Found(string, value);
            }
            if (json[at] != ',') {
                return null;
            }
            at = whitespace(json, at + 1);
        }
    }

    /** The index of the closing quote of the string opening at {@code quote}, or -1 if it has an escape, a control or non-ASCII byte, or no end. */
    private static int plainStringEnd(byte[] json, int quote) {
        for (int i = quote + 1; i < json.length; i++) {
            byte b = json[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\' || b < 0x20) {  // a byte of 0x80 and above is negative
                return -1;
            }
        }
        return -1;
    }

    /** Where the value starting at {@code start} ends (exclusive), or -1 when the document ends first or there is no value. */
    private static int valueEnd(byte[] json, int start) {
        if (start >= json.length) {
            return -1;
        }
        byte first = json[start];
        if (first == '"') {
            int close = stringEnd(json, start);
            return close < 0 ? -1 : close + 1;
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            for (int i = start; i < json.length; i++) {
                byte b = json[i];
                if (b == '"') {
                    i = stringEnd(json, i);
                    if (i < 0) {
                        return -1;
                    }
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if ((b == '}' || b == ']') && --depth == 0) {
                    return i + 1;
                }
            }
            return -1;
        }
        int i = start;
        while (i < json.length && !ends(json[i])) {
            i++;
        }
        return i == start || i == json.length ? -1 : i;  // a scalar the document ends on is not known to be whole
    }

    /** The index of the closing quote of the string opening at {@code quote}, escapes passed over; -1 when there is none. */
    private static int stringEnd(byte[] json, int quote) {
        for (int i = quote + 1; i < json.length; i++) {
            byte b = json[i];
            if (b == '\\') {
                i++;
            } else if (b == '"') {
                return i;
            }
        }
        return -1;
    }

    private static boolean ends(byte b) {
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static int whitespace(byte[] json, int at) {
        while (at < json.length && (json[at] == ' ' || json[at] == '\n' || json[at] == '\r' || json[at] == '\t')) {
            at++;
        }
        return at;
    }

    /** Whether the name from {@code start} to {@code end} is {@code name} (ASCII, as the names asked for are). */
    private static boolean named(byte[] json, int start, int end, String name) {
        if (name == null || end - start != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (json[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
