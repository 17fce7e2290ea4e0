package io.llmgw.app;

/**
 * The path and query of a request line's target, as the gateway takes them: still percent-encoded
 * (the gateway checks the encoding itself and answers a malformed one in the client's dialect).
 * Refused here, as the servlet container refused them before: targets that are neither a path nor
 * an absolute URL, bytes a URI cannot hold (control characters), and paths whose meaning depends
 * on who decodes them — an encoded {@code /}, an encoded or NUL byte, dot segments written with
 * escapes, and dot segments that climb above the root.
 *
 * @param path  the path, from its leading {@code /} ({@code *} for {@code OPTIONS *})
 * @param query the query after {@code ?}, or null when there is none
 */
record RequestTarget(String path, String query) {
    /** The target of {@code uri}, or null when it is refused. */
    static RequestTarget parse(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return null;
            }
        }
        if (uri.equals("*")) {
            return new RequestTarget("*", null);
        }
        String target = uri;
        int scheme = uri.indexOf("://");
        if (scheme > 0 && !uri.startsWith("/")) {
            String name = uri.substring(0, scheme);
            if (!name.equalsIgnoreCase("http") && !name.equalsIgnoreCase("https")) {
                return null;
            }
            int start = scheme + 3;
            int end = start;
            while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
                end++;
            }
            target = "/" + uri.substring(end).replaceFirst("^/", "");  // the absolute form's path, "/" when it has none
        }
        if (!target.startsWith("/")) {
            return null;
        }
        int mark = target.indexOf('?');
        String path = mark < 0 ? target : target.substring(0, mark);
        String query = mark < 0 ? null : target.substring(mark + 1);
        return unambiguous(path) ? new RequestTarget(path, query) : null;
    }

    /** The path to word an error for when the target is refused: its path if it has one, else "/". */
    static String errorPath(String uri) {
        if (!uri.startsWith("/")) {
            return "/";
        }
        int mark = uri.indexOf('?');
        return mark < 0 ? uri : uri.substring(0, mark);
    }

    private static boolean unambiguous(String path) {
        if (path.indexOf('%') < 0 && !path.contains("/.")) {
            return true;  // no escapes, no dot segments: every request a client library sends
        }
        int depth = 0;
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = path.substring(start, end);
            String lower = segment.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("%2f") || lower.contains("%00")) {
                return false;
            }
            String decodedDots = lower.replace("%2e", ".");
            if (decodedDots.equals(".") || decodedDots.equals("..")) {
                if (!decodedDots.equals(segment)) {
                    return false;  // a dot segment spelled with escapes: one decoder resolves it, another does not
                }
                depth += segment.equals("..") ? -1 : 0;
                if (depth < 0) {
                    return false;
                }
            } else if (!segment.isEmpty()) {
                depth++;
            }
            start = end + 1;
        }
        return true;
    }
}
