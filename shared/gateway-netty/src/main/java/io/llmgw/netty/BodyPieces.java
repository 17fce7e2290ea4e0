package io.llmgw.netty;

import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The body pieces an exchange has decoded but not yet handed to its listener: those the current read
 * of the connection brought, gathered to go over as one, and those decoded while the listener had
 * paused, held in order for its resume.
 *
 * <p>Why gather: the HTTP codec makes a piece of every chunk of a chunked body, and an upstream
 * streaming events sends each event as a chunk of its own. Handed over one by one, each piece became a
 * flush of its own to the client — the bench's seven-event answer, which arrives in one read, left in
 * seven writes where the relay means one per read (docs/architecture.md, README › Benchmarks ›
 * Upstream chunks of one read relayed as one).
 */
final class BodyPieces {
    private CompositeByteBuf gathered;
    private ArrayDeque<HttpContent> held;

    /** Keeps the piece's bytes with the rest of this read's (the piece itself is released). */
    void gather(HttpContent piece) {
        try {
            if (piece.content().isReadable()) {
                if (gathered == null) {
                    gathered = piece.content().alloc().compositeBuffer();
                }
                gathered.addComponent(true, piece.content().retain());
            }
        } finally {
            piece.release();
        }
    }

    boolean gatheredAny() {
        return gathered != null;
    }

    /** What this read gathered, as one piece the caller owns; null when nothing was. */
    HttpContent takeGathered() {
        CompositeByteBuf taken = gathered;
        gathered = null;
        return taken == null ? null : new DefaultHttpContent(taken);
    }

    void hold(HttpContent piece) {
        if (held == null) {
            held = new ArrayDeque<>(4);
        }
        held.addLast(piece);
    }

    boolean holding() {
        return held != null && !held.isEmpty();
    }

    /** The first piece held, or null. */
    HttpContent nextHeld() {
        return held == null ? null : held.pollFirst();
    }

    void release() {
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }
    }
}
