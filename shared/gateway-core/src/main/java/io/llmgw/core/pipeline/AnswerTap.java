package io.llmgw.core.pipeline;

import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StreamEvent;

/**
 * Sees a model call's answer in canonical form as it goes to the client (the response cache keeps
 * it). Called on the request's thread, in order; whether the client really got all of it is for
 * the caller to judge once the call is over (it returned normally, the client stayed).
 */
public interface AnswerTap {
    /** A whole answer that was not streamed. */
    void whole(CanonicalResponse answer);

    /** The next event of a streamed answer. */
    void event(StreamEvent event);

    /** The stream ended: {@code complete} when the upstream finished it, false when it failed or was cut off. */
    void end(boolean complete);

    /** Part of the answer has no canonical form (a second choice, log probabilities, citations…): it cannot be given back whole. */
    void unrepresentable();
}
