package io.llmgw.core.dialect;

import io.llmgw.core.model.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.NativeBody;
import io.llmgw.core.telemetry.RequestContext;

/**
 * A request on the passthrough path: the client's own body for upstreams that speak its dialect,
 * fitted to each deployment, and the upstream's answer relayed naming the model the client asked for.
 */
public interface Passthrough {
    boolean stream();

    /** The request's size in tokens, estimated for choosing deployments. */
    int estimatedTokens();

    /** The output the client asked for at most, or null. */
    Integer requestedOutput();

    /** The body for one deployment (each attempt fits its own copy: model names and limits differ). */
    NativeBody body(Deployment deployment, Integer condenseTo, RequestContext ctx);

    /** The relay of the upstream's stream to the client; a fresh one per attempt. */
    StreamTranslator streamTranslator(RequestedModel requested, RequestContext ctx);

    /** The top-level field where a whole answer names its model ({@code "model"}), or null when it names none (token counts). */
    String modelField();

    /**
     * The usage a whole answer reports, or null.
     *
     * @param usage the answer's top-level {@code usage} value, the only part of the answer parsed
     *              (DialectEndpoint); null when the answer has none
     */
    Usage usage(JsonNode usage);

    /** How the response cache reads this dialect's answers into canonical form, or null when it cannot (nothing is cached). */
    default AnswerReader answers() {
        return null;
    }

    /**
     * Lets go of what this passthrough holds of the client's request (its parsed body) once a stream
     * is committed to its upstream: no attempt will fit the body again, and a stream can last
     * minutes while a coding agent's request is tens of kilobytes, more as a parsed tree (the
     * endpoint lets go of the request's bytes and headers). Only {@link #stream()},
     * {@link #estimatedTokens()} and {@link #requestedOutput()} answer afterwards; a body or reader
     * asked for later fails loudly.
     */
    void release();
}
