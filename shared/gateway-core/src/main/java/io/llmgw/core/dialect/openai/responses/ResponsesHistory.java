package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.auth.Identity;
import io.llmgw.core.dialect.openai.responses.store.ResponseStore;
import io.llmgw.core.dialect.openai.responses.store.StoredResponse;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import java.util.regex.Pattern;

/**
 * Where a translated Responses request stands in a stored conversation: {@code previous_response_id}
 * expanded into the history the upstream is sent — the previous response's input items (its own
 * history already expanded), then its output items (reasoning with its encrypted content, messages,
 * function and custom tool calls), then the new input — and, unless the client said
 * {@code store: false}, how its response is kept for the next turn. As in OpenAI's API, the previous
 * response's {@code instructions} do not carry over: each request gives its own.
 */
final class ResponsesHistory {
    /** Responses one conversation may chain; the size bound ({@code responses_store.max_bytes}) usually comes first. */
    static final int MAX_DEPTH = 1000;
    private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /**
     * @param body the request to translate: the client's, or with {@code input} expanded and {@code previous_response_id} gone
     * @param turn its place in the conversation, which the response's envelope keeps; the body is not part of it, so a
     *             stream does not hold the request for as long as it lasts
     */
    record Begun(ObjectNode body, Turn turn) {}

    /**
     * @param previous the id continued from, or null
     * @param stored   the input items a stored response will list, or null when its response will not be stored
     * @param depth    the conversation's length in responses, this one included
     */
    record Turn(String previous, ArrayNode stored, int depth, String owner, ResponseStore store) {
        boolean storing() {
            return stored != null;
        }

        /**
         * Keeps a finished response (completed or incomplete, never failed) before the client sees it, and sets its
         * {@code store} to whether it was kept: a client may continue from it the moment it has the id.
         */
        void finished(ObjectNode response) {
            String status = Json.text(response, "status");
            if (!storing() || !"completed".equals(status) && !"incomplete".equals(status)) {
                response.put("store", false);
                return;
            }
            ObjectNode kept = response.deepCopy().put("store", true);
            boolean saved = store.save(owner, new StoredResponse(kept, stored, depth)) == ResponseStore.Saved.STORED;
            response.put("store", saved);
        }
    }

    private ResponsesHistory() {}

    static Begun begin(ObjectNode body, Identity identity, ResponseStore store) {
        String owner = identity == null ? null : identity.owner();
        JsonNode storeField = body.get("store");
        boolean storing = store.enabled() && owner != null && (storeField == null || !storeField.isBoolean() || storeField.booleanValue());
        JsonNode previousField = body.get("previous_response_id");
        String previous = previousField == null || previousField.isNull() ? null : previousField.asText();
        if (previous == null) {
            return new Begun(body, new Turn(null, storing ? InputItems.of(body.get("input")) : null, 1, owner, store));
        }
        if (!store.enabled()) {
            throw invalid("Stored responses are turned off on this gateway (responses_store.enabled: false), so "
                    + "'previous_response_id' cannot be resolved; send the whole conversation in 'input'.", "invalid_value");
        }
        ResponseStore.Found found = switch (store.find(owner, previous)) {
            case ResponseStore.Found f -> f;
            case ResponseStore.Missing m -> throw invalid("Previous response with id '" + printable(previous) + "' not found.",
                    "previous_response_not_found");
            case ResponseStore.TooLarge large -> throw invalid("Previous response with id '" + printable(previous) + "' was not "
                    + "stored: its conversation (" + large.jsonBytes() + " bytes) is larger than this gateway keeps; send the "
                    + "whole conversation in 'input' instead.", "previous_response_not_found");
        };
        StoredResponse before = found.response();
        if (before.depth() >= MAX_DEPTH) {
            throw invalid("The conversation continued from '" + printable(previous) + "' already has " + before.depth()
                    + " responses, the most this gateway chains; start a new one with the history in 'input'.", "conversation_too_long");
        }
        JsonNode input = body.get("input");
        long size = found.jsonBytes() + (input == null ? 0 : Json.bytes(input).length);
        if (size > store.maxBytes()) {
            throw invalid("The conversation continued from '" + printable(previous) + "' would be " + size + " bytes, more than "
                    + "this gateway keeps (" + store.maxBytes() + "); start a new one with a shorter history in 'input'.",
                    "conversation_too_large");
        }
        ArrayNode history = Json.NODES.arrayNode();
        history.addAll(before.input());
        history.addAll(before.output());
        ArrayNode upstreamInput = history.deepCopy();
        if (input != null && input.isTextual()) {
            upstreamInput.add(Json.object().put("type", "message").put("role", "user").put("content", input.textValue()));
        } else if (input != null && input.isArray()) {
            upstreamInput.addAll((ArrayNode) input);
        }
        ObjectNode expanded = body.deepCopy();
        expanded.remove("previous_response_id");
        expanded.set("input", upstreamInput);
        ArrayNode stored = null;
        if (storing) {
            stored = history;
            stored.addAll(InputItems.of(input));
        }
        return new Begun(expanded, new Turn(previous, stored, before.depth() + 1, owner, store));
    }

    /** An id a client sent, fit to repeat in a message. */
    private static String printable(String id) {
        return PRINTABLE_ID.matcher(id).matches() ? id : "(not an id)";
    }

    private static RuntimeException invalid(String message, String code) {
        return GatewayError.of(ErrorKind.INVALID_REQUEST, message, code).withParam("previous_response_id").exception();
    }
}
