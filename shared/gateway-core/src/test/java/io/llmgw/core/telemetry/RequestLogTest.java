package io.llmgw.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.llmgw.core.auth.Identity;
import io.llmgw.core.config.AccessConfig.Policy;
import io.llmgw.core.model.Usage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The request line: every field the request has, in a fixed order, and none it does not have (no nulls). */
class RequestLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("gateway.request");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(level);
    }

    private Map<String, Object> logged(RequestContext ctx) {
        RequestLog.write(ctx, "POST", "/v1/chat/completions");
        assertThat(lines.list).hasSize(1);
        Map<String, Object> fields = new LinkedHashMap<>();
        lines.list.get(0).getKeyValuePairs().forEach(pair -> fields.put(pair.key, pair.value));
        return fields;
    }

    @Test
    void aRequestWithEverythingLogsEveryFieldInOrder() {
        RequestContext ctx = new RequestContext("req_1", System.nanoTime());
        ctx.dialect("openai-chat");
        ctx.status(200);
        ctx.model("m".repeat(300));
        ctx.upstream("azure-east");
        ctx.upstreamModel("gpt-4o-2024-08-06");
        ctx.identity(new Identity("alice", "platform", "virtual_key", Policy.UNRESTRICTED));
        ctx.clientKey("sk-…1234");
        ctx.errorKind("rate_limited");
        ctx.cache("miss");
        ctx.usage(new Usage(100, 20, 64, 8, 5));
        ctx.costUsd(0.25);

        Map<String, Object> fields = logged(ctx);

        assertThat(fields.keySet()).containsExactly("request_id", "method", "path", "dialect", "status", "duration_ms",
                "overhead_ms", "model", "upstream", "upstream_model", "key_name", "team", "client_key", "error", "cache",
                "input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens", "reasoning_tokens", "cost_usd");
        assertThat((String) fields.get("model")).hasSize(RequestLog.MAX_LOGGED_NAME + 1).endsWith("…");
        assertThat(fields).containsEntry("team", "platform").containsEntry("cached_input_tokens", 64).containsEntry("cost_usd", 0.25);
    }

    @Test
    void whatARequestDoesNotHaveIsLeftOut() {
        RequestContext ctx = new RequestContext("req_2", System.nanoTime());
        ctx.dialect("anthropic-messages");
        ctx.status(401);
        ctx.model("claude-sonnet-4-5");
        ctx.identity(new Identity("bob", null, "virtual_key", Policy.UNRESTRICTED));
        ctx.usage(new Usage(10, null, null, null, null));

        Map<String, Object> fields = logged(ctx);

        assertThat(fields.keySet()).containsExactly("request_id", "method", "path", "dialect", "status", "duration_ms",
                "overhead_ms", "model", "key_name", "input_tokens");
        assertThat(fields.values()).doesNotContainNull();
    }
}
