package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.anthropic.AnthropicErrorTypes;
import io.llmgw.core.stream.SseFrames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Anthropic's error shape {@code {"type":"error","error":{"type","message"}}}, as a response body
 * with Anthropic's status for the kind, and as an {@code event: error} frame inside a stream.
 */
public final class AnthropicErrors implements ErrorFormat {
    public static final AnthropicErrors INSTANCE = new AnthropicErrors();

    /** OpenAI: "…maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens…". */
    private static final Pattern OPENAI_CONTEXT = Pattern.compile("maximum context length is (\\d+) tokens.*?(\\d+) tokens", Pattern.DOTALL);

    private AnthropicErrors() {}

    @Override
    public int status(GatewayError error) {
        return AnthropicErrorTypes.status(error);
    }

    @Override
    public byte[] body(GatewayError error) {
        return Json.bytes(envelope(error));
    }

    @Override
    public byte[] streamFrame(GatewayError error) {
        return SseFrames.event("error", body(error));
    }

    static ObjectNode envelope(GatewayError error) {
        ObjectNode body = Json.object();
        body.put("type", "error");
        body.putObject("error").put("type", AnthropicErrorTypes.type(error.kind())).put("message", message(error));
        return body;
    }

    /**
     * Claude Code recognises an overflowing context by Anthropic's "prompt is too long" wording (and
     * compacts the conversation), so an upstream's context-length error is reworded that way.
     */
    private static String message(GatewayError error) {
        if (error.kind() != ErrorKind.CONTEXT_LENGTH) {
            return error.message();
        }
        if (error.message().startsWith("prompt is too long")) {
            return error.message();  // Anthropic's own wording, from an Anthropic upstream
        }
        Matcher m = OPENAI_CONTEXT.matcher(error.message());
        if (m.find()) {
            return "prompt is too long: " + m.group(2) + " tokens > " + m.group(1) + " maximum";
        }
        return "prompt is too long: " + error.message();
    }
}
