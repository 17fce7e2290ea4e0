package io.llmgw.core.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.SseFrames;
import io.llmgw.core.telemetry.RequestContext;
import java.io.IOException;

/**
 * Puts the model name the client asked for into what a same-dialect upstream answered, in place of
 * the upstream's own (a deployment's model, or a dated version of the name asked for), so every
 * answer names the model the client asked for on passthrough paths as on translated ones — clients
 * recognise their own names (Claude Code replays its thinking only to the model that produced it).
 * Only that string's bytes change; the upstream's name goes to the request log instead.
 */
public final class RequestedModel {
    private final String requested;
    private final RequestContext ctx;
    private byte[] literal;

    public RequestedModel(String requested, RequestContext ctx) {
        this.requested = requested;
        this.ctx = ctx;
    }

    /** The name the client asked for. */
    public String name() {
        return requested;
    }

    /**
     * {@code json} with the string at {@code path} set to the requested name, for a caller that
     * already read the document and knows that string ({@code current}, null when there is none):
     * no second parse when it needs no change, which is every chunk of a route that keeps the name.
     */
    public byte[] in(byte[] json, JsonNode current, String... path) {
        return current != null && current.isTextual() && replaces(current.textValue()) ? in(json, path) : json;
    }

    /**
     * Whether an answer naming {@code current} (null when it names none) needs the requested name put in;
     * the first name seen is kept as the upstream's for the request log.
     */
    public boolean replaces(String current) {
        if (current == null) {
            return false;
        }
        if (ctx.upstreamModel() == null) {
            ctx.upstreamModel(current);
        }
        return !current.equals(requested);
    }

    /** {@code json} with the string {@code at} (null: none, and {@code json} is returned as it is) set to the requested name. */
    public byte[] in(byte[] json, Json.StringAt at) {
        return at == null || at.text().equals(requested) ? json : at.replacedByLiteral(json, literal());
    }

    /**
     * The data frame relaying event {@code json} with the requested name put in, for a relay that read
     * the event in one pass: {@code current} is the model it names (null when none), {@code at} where
     * the string to rewrite is (null when none). Made in one copy, as most chunks of a stream need it.
     */
    public byte[] dataFrame(byte[] json, String current, Json.StringAt at) {
        if (!replaces(current) || at == null || at.text().equals(requested)) {
            return SseFrames.data(json);
        }
        return SseFrames.data(json, at.start(), at.end(), literal());
    }

    private byte[] literal() {
        if (literal == null) {
            literal = Json.literal(requested);
        }
        return literal;
    }

    /**
     * {@code json} with the string at {@code path} (e.g. {@code "model"}, or {@code "message", "model"})
     * set to the requested name; {@code json} itself when it names that already, has no such string or
     * is not JSON (what to do about that is the caller's concern).
     */
    public byte[] in(byte[] json, String... path) {
        Json.StringAt at;
        try {
            at = Json.findString(json, path);
        } catch (IOException notJson) {
            return json;
        }
        if (at != null && ctx.upstreamModel() == null) {
            ctx.upstreamModel(at.text());
        }
        return in(json, at);
    }
}
