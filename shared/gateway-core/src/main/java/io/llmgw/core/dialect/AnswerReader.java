package io.llmgw.core.dialect;

import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.stream.SseEvent;
import java.util.function.Consumer;

/**
 * Reads an answer passed through in this dialect's own wire into canonical form, for the response
 * cache, which keeps answers that way and gives them back in whatever form the next client asks
 * for. An answer carrying anything the canonical model cannot hold (a second choice, log
 * probabilities, citations, server tool results) is reported as such rather than kept without it.
 */
public interface AnswerReader {
    /** The whole answer in canonical form; null when it is malformed or that form would lose part of it. */
    CanonicalResponse whole(byte[] body);

    /** A reader for one relayed stream. */
    StreamReader stream();

    /** Reads one relayed stream, event by event, in order. */
    interface StreamReader {
        /**
         * Adds the canonical events {@code event} carries to {@code out}; false when it carries
         * something the canonical model cannot hold, so the answer cannot be kept.
         */
        boolean read(SseEvent event, Consumer<StreamEvent> out);
    }
}
