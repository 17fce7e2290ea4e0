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
    /** This read's only piece so far, handed over as it is (the common case: one event per read). */
    private HttpContent single;
    /** This read's pieces once there is more than one. */
    private CompositeByteBuf gathered;
    private ArrayDeque<HttpContent> held;

    /** Keeps the piece with the rest of this read's. */
    void gather(HttpContent piece) {
        if (!piece.content().isReadable()) {
            piece.release();
        } else if (single == null && gathered == null) {
            single = piece;
        } else {
            if (gathered == null) {
                gathered = piece.content().alloc().compositeBuffer();
                add(single);
                single = null;
            }
            add(piece);
        }
    }

    private void add(HttpContent piece) {
        try {
            gathered.addComponent(true, piece.content().retain());
        } finally {
            piece.release();
        }
    }

    boolean gatheredAny() {
        return single != null || gathered != null;
    }

    /** What this read gathered, as one piece the caller owns; null when nothing was. */
    HttpContent takeGathered() {
        HttpContent taken = single != null ? single : gathered == null ? null : new DefaultHttpContent(gathered);
        single = null;
        gathered = null;
        return taken;
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
        HttpContent gatheredPiece = takeGathered();
        if (gatheredPiece != null) {
            gatheredPiece.release();
        }
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }
    }
}
