package io.llmgw.core.routing;

import io.llmgw.core.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops the oldest turns of a conversation until it fits a token budget, keeping the system
 * prompt and never separating a tool call from its result: a conversation always restarts at a
 * user turn that is not just tool results. The latest turn is always kept.
 */
public final class Condenser {
    /** Header telling the client how many messages were left out. */
    public static final String HEADER = "x-gateway-condensed";

    private Condenser() {}

    /** A condensed copy of a canonical request, and how many messages were dropped. */
    public record Result<T>(T request, int dropped) {}

    public static Result<CanonicalRequest> condense(CanonicalRequest request, int budgetTokens) {
        List<Message> messages = new ArrayList<>(request.messages());
        int dropped = 0;
        while (TokenEstimate.of(withMessages(request, messages)) > budgetTokens) {
            int cut = nextCanonicalStart(messages);
            if (cut <= 0) {
                break;
            }
            messages.subList(0, cut).clear();
            dropped += cut;
        }
        return new Result<>(withMessages(request, messages), dropped);
    }

    /** Index of the next user turn after the first that is a fresh start (not only tool results), or -1. */
    private static int nextCanonicalStart(List<Message> messages) {
        for (int i = 1; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() == Role.USER && m.content().stream().noneMatch(b -> b instanceof Block.ToolResult)) {
                return i;
            }
        }
        return -1;
    }

    private static CanonicalRequest withMessages(CanonicalRequest r, List<Message> messages) {
        return new CanonicalRequest(r.model(), r.system(), messages, r.tools(), r.toolChoice(), r.parallelToolCalls(),
                r.maxOutputTokens(), r.temperature(), r.topP(), r.topK(), r.stop(), r.reasoning(), r.responseFormat(), r.stream(), r.user());
    }

    /** Condenses a Chat Completions body in place; returns how many messages were dropped. */
    public static int condenseChat(ObjectNode body, int budgetTokens) {
        JsonNode node = body.get("messages");
        if (!(node instanceof ArrayNode messages)) {
            return 0;
        }
        int dropped = 0;
        while (TokenEstimate.ofJsonBytes(Json.string(body).length()) > budgetTokens) {
            int first = firstConversational(messages);
            int cut = nextChatStart(messages, first);
            if (first < 0 || cut < 0) {
                break;
            }
            for (int i = first; i < cut; i++) {
                messages.remove(first);
                dropped++;
            }
        }
        return dropped;
    }

    private static int firstConversational(ArrayNode messages) {
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText();
            if (!role.equals("system") && !role.equals("developer")) {
                return i;
            }
        }
        return -1;
    }

    /** The next user message after {@code first}: tool messages only ever follow their assistant call. */
    private static int nextChatStart(ArrayNode messages, int first) {
        for (int i = first + 1; i < messages.size(); i++) {
            if (messages.get(i).path("role").asText().equals("user")) {
                return i;
            }
        }
        return -1;
    }
}
