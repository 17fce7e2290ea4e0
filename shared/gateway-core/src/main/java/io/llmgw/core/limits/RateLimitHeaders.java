package io.llmgw.core.limits;

import io.llmgw.core.http.Headers;
import io.llmgw.core.spi.Dialect;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The rate-limit headers clients read, for the tightest limit that applies: OpenAI's
 * {@code x-ratelimit-limit-requests}, {@code -remaining-}, {@code -reset-} (a duration such as
 * {@code 6m0s}) for requests and tokens, and for Anthropic clients
 * {@code anthropic-ratelimit-requests-limit}, {@code -remaining}, {@code -reset} (an RFC 3339 time).
 */
final class RateLimitHeaders {
    private Figure requests;
    private Figure tokens;

    private record Figure(long limit, long remaining, Duration reset) {}

    void requests(long limit, long remaining, Duration reset) {
        if (requests == null || remaining < requests.remaining()) {
            requests = new Figure(limit, Math.max(0, remaining), reset);
        }
    }

    void tokens(long limit, long remaining, Duration reset) {
        if (tokens == null || remaining < tokens.remaining()) {
            tokens = new Figure(limit, Math.max(0, remaining), reset);
        }
    }

    void writeTo(Headers headers, Dialect dialect, Instant now) {
        boolean anthropic = dialect == Dialect.ANTHROPIC_MESSAGES;
        write(headers, "requests", requests, anthropic, now);
        write(headers, "tokens", tokens, anthropic, now);
    }

    private static void write(Headers headers, String what, Figure figure, boolean anthropic, Instant now) {
        if (figure == null) {
            return;
        }
        if (anthropic) {
            headers.set("anthropic-ratelimit-" + what + "-limit", Long.toString(figure.limit()));
            headers.set("anthropic-ratelimit-" + what + "-remaining", Long.toString(figure.remaining()));
            headers.set("anthropic-ratelimit-" + what + "-reset", now.plus(figure.reset()).truncatedTo(ChronoUnit.SECONDS).toString());
        } else {
            headers.set("x-ratelimit-limit-" + what, Long.toString(figure.limit()));
            headers.set("x-ratelimit-remaining-" + what, Long.toString(figure.remaining()));
            headers.set("x-ratelimit-reset-" + what, openAiDuration(figure.reset()));
        }
    }

    /** OpenAI writes reset times as Go durations: {@code 1s}, {@code 6m0s}, {@code 20ms}. */
    static String openAiDuration(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = (millis + 999) / 1000;
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + seconds % 60 + "s";
    }
}
