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
        if (ctx.model() != null) {
            line = line.addKeyValue("model", bounded(ctx.model()));  // a client-chosen name; the log line stays small
        }
        if (ctx.upstream() != null) {
            line = line.addKeyValue("upstream", ctx.upstream());
        }
        if (ctx.upstreamModel() != null) {
            line = line.addKeyValue("upstream_model", ctx.upstreamModel());
        }
        if (ctx.identity() != null && !ctx.identity().kind().equals("key")) {
            line = line.addKeyValue("key_name", ctx.identity().name());
            if (ctx.identity().team() != null) {
                line = line.addKeyValue("team", ctx.identity().team());
            }
        }
        if (ctx.clientKey() != null) {
            line = line.addKeyValue("client_key", ctx.clientKey());
        }
        if (ctx.errorKind() != null) {
            line = line.addKeyValue("error", ctx.errorKind());
        }
        if (ctx.cache() != null) {
            line = line.addKeyValue("cache", ctx.cache());
        }
        Usage usage = ctx.usage();
        if (usage != null) {
            if (usage.inputTokens() != null) {
                line = line.addKeyValue("input_tokens", usage.inputTokens());
            }
            if (usage.outputTokens() != null) {
                line = line.addKeyValue("output_tokens", usage.outputTokens());
            }
            if (usage.cacheReadTokens() != null) {
                line = line.addKeyValue("cached_input_tokens", usage.cacheReadTokens());
            }
            if (usage.cacheWriteTokens() != null) {
                line = line.addKeyValue("cache_write_tokens", usage.cacheWriteTokens());
            }
            if (usage.reasoningTokens() != null) {
                line = line.addKeyValue("reasoning_tokens", usage.reasoningTokens());
            }
            if (ctx.costUsd() != null) {
                line = line.addKeyValue("cost_usd", ctx.costUsd());
            }
        }
        line.log();
    }

    /** At most {@link #MAX_LOGGED_NAME} characters of a name the client chose. */
    static String bounded(String name) {
        return name.length() <= MAX_LOGGED_NAME ? name : name.substring(0, MAX_LOGGED_NAME) + "…";
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
