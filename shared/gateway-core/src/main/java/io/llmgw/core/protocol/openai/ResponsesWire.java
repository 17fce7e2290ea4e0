package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Usage;
import io.llmgw.core.stream.SseFrames;
import java.util.Set;

/**
 * Pieces of the OpenAI Responses wire (docs/protocol-mapping.md#responses-stream) that every path speaking it shares: the
 * translated stream the gateway writes, the native passthrough it relays, and any later upstream
 * decoder. Usage objects, terminal events, and the {@code response.failed} event the gateway
 * must write itself when an upstream dies mid-stream.
 */
public final class ResponsesWire {
    public static final String CREATED = "response.created";
    public static final String IN_PROGRESS = "response.in_progress";
    public static final String COMPLETED = "response.completed";
    public static final String INCOMPLETE = "response.incomplete";
    public static final String FAILED = "response.failed";
    public static final String ERROR = "error";

    /**
     * Events that end a response; some servers end with {@code response.done}. An {@code error}
     * event is not one of them: OpenAI may follow it with {@code response.failed}.
     */
    private static final Set<String> TERMINAL = Set.of(COMPLETED, INCOMPLETE, FAILED, "response.done");

    private ResponsesWire() {}

    public static boolean isTerminal(String type) {
        return type != null && TERMINAL.contains(type);
    }

    /**
     * Every usage count as an integer (zeros where the upstream reported nothing): Codex fails to
     * parse a usage object with a missing or null count, and current SDKs also require
     * {@code input_tokens_details.cache_write_tokens}.
     */
    public static ObjectNode usage(Usage usage) {
        Usage u = usage == null ? Usage.NONE : usage;
        ObjectNode node = Json.object();
        node.put("input_tokens", u.input());
        node.putObject("input_tokens_details").put("cached_tokens", u.cacheRead()).put("cache_write_tokens", u.cacheWrite());
        node.put("output_tokens", u.output());
        node.putObject("output_tokens_details").put("reasoning_tokens", u.reasoning());
        node.put("total_tokens", u.input() + u.output());
        return node;
    }

    /** A Responses {@code usage} object as the request log wants it; null when absent. */
    public static Usage readUsage(JsonNode usage) {
        return OpenAiUsage.read(usage, OpenAiUsage.RESPONSES);
    }

    /**
     * The {@code error} object of a failed response. Its code is one OpenAI sends there (SDKs
     * validate it against a closed list, Codex decides from it whether to retry); the gateway's
     * own detail stays in the message.
     */
    public static ObjectNode error(GatewayError error) {
        ObjectNode node = Json.object();
        node.put("code", code(error.kind()));
        node.put("message", error.message());
        return node;
    }

    /**
     * Marks a response object failed with {@code error}: how a stream whose upstream died or
     * failed after it started must end ({@code response.failed} carrying it), never a bare drop.
     */
    public static ObjectNode failed(ObjectNode response, GatewayError error) {
        response.put("status", "failed");
        response.set("error", error(error));
        return response;
    }

    /** A lifecycle event ({@code response.created}, the terminal events…) carrying {@code response}. */
    public static byte[] lifecycleFrame(String type, int sequenceNumber, ObjectNode response) {
        ObjectNode event = Json.object();
        event.put("type", type);
        event.put("sequence_number", sequenceNumber);
        event.set("response", response);
        return SseFrames.event(type, Json.bytes(event));
    }

    /** Codex reads these codes to decide between retrying (rate limit, server error), compacting and giving up. */
    private static String code(ErrorKind kind) {
        return switch (kind) {
            case RATE_LIMIT -> "rate_limit_exceeded";
            case QUOTA -> "insufficient_quota";
            case CONTEXT_LENGTH -> "context_length_exceeded";
            default -> "server_error";
        };
    }
}
