package io.llmgw.bench;

import java.io.IOException;

/**
 * One HTTP/1.1 exchange with a target, timed with {@link System#nanoTime()}. The same
 * implementation serves both targets of a run, so its own cost cancels out of the difference.
 */
interface BenchClient extends AutoCloseable {
    /** Sends the target's request and reads the whole response. */
    Exchange exchange(Target target, boolean stream) throws IOException;

    /** Drops idle pooled connections (between phases, so no phase inherits another's stale ones). */
    default void resetConnections() {}

    /** How many connections this client opened to the target so far, or -1 when it cannot tell. */
    default long connectionsOpened(Target target) {
        return -1;
    }

    /** Requests retried once on a new connection because a pooled one had been closed by the server. */
    default long staleRetries(Target target) {
        return 0;
    }

    @Override
    default void close() {}

    /**
     * @param firstByteNanos when the first byte of the body arrived (for a chunked body: the first
     *                       non-empty chunk), or when the headers ended if the body is empty
     * @param endNanos       when the response was read completely
     * @param overheadMillis the {@code x-gateway-overhead-ms} header, or NaN when absent
     * @param problem        null when the response is a complete, well-formed 200; otherwise what was wrong
     */
    record Exchange(int status, long firstByteNanos, long endNanos, double overheadMillis, String problem) {}

    /** Checks the body looks like a chat completion (or a finished stream); null when it does. */
    static String check(int status, boolean stream, byte[] body, int length) {
        if (status != 200) {
            String text = new String(body, 0, Math.min(length, 200), java.nio.charset.StandardCharsets.UTF_8);
            return "HTTP " + status + ": " + text.replace('\n', ' ');
        }
        String text = new String(body, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (stream) {
            return text.contains("data: [DONE]") ? null : "stream did not end with data: [DONE]";
        }
        return text.contains("\"choices\"") ? null : "body is not a chat completion";
    }

    static double parseOverhead(String value) {
        if (value == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
