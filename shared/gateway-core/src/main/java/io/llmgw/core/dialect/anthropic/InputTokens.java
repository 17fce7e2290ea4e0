package io.llmgw.core.dialect.anthropic;

import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.routing.TokenEstimate;
import java.util.function.IntSupplier;

/**
 * A translated answer's input tokens for when its upstream reports none (an OpenAI-compatible
 * server that ignores {@code stream_options}): counted locally with the upstream model's encoding
 * ({@link TokenCounter}) from the request. A stream lets go of its request once it is committed —
 * a coding agent's is tens of kilobytes, held for minutes — unless it is small: a request routing
 * estimates above {@link #KEPT_UP_TO_TOKENS} is dropped and this answers that estimate instead
 * (about four characters a token), since counting it exactly at the commit would cost every such
 * stream milliseconds of CPU (2 ms for Claude Code's 41.6 KB request) for a figure only those
 * upstreams need. A small request stays, and its count stays exact (docs/decisions.md).
 */
final class InputTokens implements IntSupplier {
    /** Up to this size (routing's estimate) a committed stream keeps its request: a few kilobytes at most. */
    static final int KEPT_UP_TO_TOKENS = 1_000;

    private final String upstreamModel;
    private CanonicalRequest request;
    private int estimate;

    InputTokens(CanonicalRequest request, String upstreamModel) {
        this.request = request;
        this.upstreamModel = upstreamModel;
    }

    @Override
    public int getAsInt() {
        CanonicalRequest held = request;
        return held != null ? TokenCounter.forModel(upstreamModel).count(held) : estimate;
    }

    /** Keeps routing's estimate ({@link TokenEstimate}, worked out by the caller) and lets go of the request, unless it is small. */
    void release(int estimatedTokens) {
        if (estimatedTokens > KEPT_UP_TO_TOKENS) {
            estimate = estimatedTokens;
            request = null;
        }
    }
}
