package io.llmgw.core.telemetry;

import io.llmgw.core.model.Usage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One info line per request with its outcome as key-value pairs (JSON fields where the platform
 * logs JSON). Bodies are never logged here; the client key appears only masked.
 */
public final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("gateway.request");
    static final int MAX_LOGGED_NAME = 256;

    private RequestLog() {}

    public static void write(RequestContext ctx, String method, String path) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LoggingEventBuilder line = LOG.atInfo()
                .setMessage("request")
                .addKeyValue("request_id", ctx.requestId())
                .addKeyValue("method", method)
                .addKeyValue("path", path)
                .addKeyValue("dialect", ctx.dialect())
                .addKeyValue("status", ctx.status())
                .addKeyValue("duration_ms", round(ctx.durationMillis()))
                .addKeyValue("overhead_ms", round(ctx.overheadMillis()));
        if (ctx.timeToFirstByteMillis() >= 0) {
            line = line.addKeyValue("ttfb_ms", round(ctx.timeToFirstByteMillis()));
        }
        line = present(line, "model", ctx.model() == null ? null : bounded(ctx.model()));  // a client-chosen name; the log line stays small
        line = present(line, "upstream", ctx.upstream());
        line = present(line, "upstream_model", ctx.upstreamModel());
        if (ctx.identity() != null && !ctx.identity().kind().equals("key")) {
            line = line.addKeyValue("key_name", ctx.identity().name());
            line = present(line, "team", ctx.identity().team());
        }
        line = present(line, "client_key", ctx.clientKey());
        line = present(line, "error", ctx.errorKind());
        line = present(line, "cache", ctx.cache());
        Usage usage = ctx.usage();
        if (usage != null) {
            line = present(line, "input_tokens", usage.inputTokens());
            line = present(line, "output_tokens", usage.outputTokens());
            line = present(line, "cached_input_tokens", usage.cacheReadTokens());
            line = present(line, "cache_write_tokens", usage.cacheWriteTokens());
            line = present(line, "reasoning_tokens", usage.reasoningTokens());
            line = present(line, "cost_usd", ctx.costUsd());
        }
        line.log();
    }

    /** The line with {@code key} added, unless there is no {@code value}: absent fields are left out, not logged as null. */
    private static LoggingEventBuilder present(LoggingEventBuilder line, String key, Object value) {
        return value == null ? line : line.addKeyValue(key, value);
    }

    /** At most {@link #MAX_LOGGED_NAME} characters of a name the client chose. */
    static String bounded(String name) {
        return name.length() <= MAX_LOGGED_NAME ? name : name.substring(0, MAX_LOGGED_NAME) + "…";
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
