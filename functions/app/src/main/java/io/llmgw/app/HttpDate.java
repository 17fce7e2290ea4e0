package io.llmgw.app;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * The {@code Date} header every answer carries (an origin server with a clock sends one, RFC 9110),
 * formatted once a second rather than once an answer.
 */
final class HttpDate {
    private record Formatted(long second, String text) {}

    private static volatile Formatted last = new Formatted(-1, "");

    private HttpDate() {}

    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Formatted formatted = last;
        if (formatted.second() != second) {
            formatted = new Formatted(second, DateFormatter.format(new Date(second * 1000)));
            last = formatted;
        }
        return formatted.text();
    }
}
