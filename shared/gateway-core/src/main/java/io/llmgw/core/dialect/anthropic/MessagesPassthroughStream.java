package io.llmgw.core.dialect.anthropic;

import io.llmgw.core.spi.Progress;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.dialect.PassthroughStream;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.protocol.anthropic.AnthropicUpstreamErrors;
import io.llmgw.core.protocol.anthropic.AnthropicUsage;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseFrames;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;

/**
 * Relays an Anthropic upstream's Messages stream to an Anthropic client event by event, names and
 * data payloads exactly as received — thinking signatures, citations, server tool blocks and event
 * types newer than the gateway included — but for message_start's {@code model}, which names the model
 * the client asked for ({@link RequestedModel}): Claude Code sends its thinking back only to the model
 * it believes produced it. Only message_start and message_delta are read (for the
 * usage the request log records). What the gateway adds: an {@code event:} line when the upstream
 * sent data only, a ping while the upstream is silent, and — when the upstream dies or its stream
 * ends without message_stop — an {@code event: error}, so the client never sees a silent end.
 */
final class MessagesPassthroughStream extends PassthroughStream {
    private final RequestedModel requested;
    private final RequestContext ctx;
    private Usage usage = Usage.NONE;

    MessagesPassthroughStream(RequestedModel requested, RequestContext ctx) {
        super(AnthropicUpstreamErrors::beforeStream, AnthropicErrors.INSTANCE, MessagesStreamEncoder.PING);
        this.requested = requested;
        this.ctx = ctx;
    }

    @Override
    public Progress onEvent(SseEvent event, ClientResponse out) {
        String type = event.event();
        JsonNode data = null;
        if (type == null || type.equals("message_start") || type.equals("message_delta")) {
            data = UpstreamEvents.object(event);
            if (data == null) {
                return fail(UpstreamEvents.malformed(), out);
            }
            type = AnthropicUpstreamErrors.type(event, data);
        }
        byte[] payload = "message_start".equals(type) ? requested.in(event.data(), data.path("message").get("model"), "message", "model")
                : event.data();
        out.write(SseFrames.relayed(type == null ? "message" : type, payload));
        switch (type == null ? "" : type) {
            case "message_start" -> record(data.path("message").get("usage"));
            case "message_delta" -> record(data.get("usage"));
            case "message_stop" -> {
                return Progress.FINISHED;
            }
            case AnthropicUpstreamErrors.ERROR_EVENT -> {
                return Progress.FAILED;  // relayed as the upstream wrote it; nothing follows an error
            }
            default -> { }
        }
        return Progress.CONTINUE;
    }

    private void record(JsonNode reported) {
        usage = AnthropicUsage.update(usage, reported);
        ctx.usage(usage);
    }
}
