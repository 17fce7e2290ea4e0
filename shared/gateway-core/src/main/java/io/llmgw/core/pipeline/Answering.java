package io.llmgw.core.pipeline;

import io.llmgw.core.model.CanonicalResponse;

/**
 * A model call's answer in canonical form, both ways, for policies that keep answers or give them
 * themselves (the response cache): the live answer as it is relayed, and a whole canonical answer
 * written the way this client's dialect writes one — streamed when the client asked for a stream.
 */
public interface Answering {
    /**
     * Whether this call's answers have a canonical form both ways. Always on the translated path; on
     * the passthrough path when the dialect can read its own answers and could translate the request
     * (a request using what only the upstream's own API has cannot be answered from canonical form).
     */
    boolean canonical();

    /** Has {@code tap} see the live answer; before the call proceeds. */
    void tap(AnswerTap tap);

    /** Answers the client with {@code answer} instead of an upstream call: a fresh response id, the model name it asked for. */
    void give(CanonicalResponse answer);
}
