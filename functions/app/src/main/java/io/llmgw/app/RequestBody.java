package io.llmgw.app;

import io.llmgw.core.web.GatewayRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One request's body as the gateway reads it: gathered on the connection's event loop into one array,
 * under the gateway's bound, and handed whole to the thread that serves the request (a request thread,
 * or the loop itself). Nothing is read from the socket for it until the gateway asks ({@link #read},
 * after authentication): until then only what arrived with the request's head is kept, so an anonymous
 * caller announcing megabytes costs nothing. Like
 * {@code BodyReads}, a declared length is a claim, not bytes: an array larger than
 * {@link #EXACT_MAX_BYTES} is never sized from it before the bytes arrive.
 *
 * <p>A request served on the event loop does not wait for its body: {@link #whenReadable} resumes it
 * once the body is whole.
 *
 * <p>All but {@link #read} run on the event loop; what a request thread reads is published through
 * the volatile {@link #outcome}.
 */
final class RequestBody {
    /** The largest array sized from a declared length alone. */
    static final int EXACT_MAX_BYTES = 16 * 1024;
    /** The outcome of a body over the bound: its bytes were let go, the rest is discarded. */
    private static final Object TOO_LARGE = new Object();
    /**
     * The outcome once the gateway has the body: nothing here holds it any more, so the gateway's own
     * release at a stream's commit point lets it go (README › Memory per stream in flight).
     */
    private static final Object HANDED_OVER = new Object();
    private static final byte[] NONE = new byte[0];
    /**
     * The largest body whose request goes on on the event loop once it arrived ({@link #whenReadable}):
     * a coding agent's request is 20–100 KB, decoded in well under a millisecond; ten megabytes of JSON
     * would hold the loop's other connections for tens of milliseconds.
     */
    static final int LOOP_MAX_BYTES = 256 * 1024;

    private final HttpConnection connection;
    private final EventLoop loop;
    private final long declaredLength;
    private final boolean expectsContinue;
    private byte[] bytes = NONE;
    private int size;
    private long discarded;
    private boolean discarding;
    private CompletableFuture<Object> waiter;
    private volatile boolean wanted;
    private volatile boolean continued;
    private volatile boolean ended;
    /** The body once known: its bytes, {@link #TOO_LARGE}, or why it cannot be had (an exception). */
    private volatile Object outcome;

    /**
     * @param declaredLength Content-Length, or -1 when the body is chunked
     * @param expectsContinue whether the client waits for {@code 100 Continue} before it sends the body
     */
    RequestBody(HttpConnection connection, long declaredLength, boolean expectsContinue) {
        this.connection = connection;
        this.loop = connection.loop();
        this.declaredLength = declaredLength;
        this.expectsContinue = expectsContinue;
        if (declaredLength > GatewayRequest.MAX_BODY_BYTES) {
            tooLarge();
        }
    }

    /**
     * The body as the gateway reads it: {@code sink} hears when it was read; only a request served on
     * the loop ({@code onTheLoop}) has its body awaited without a wait ({@link #whenReadable}), as a
     * request thread may simply wait in {@link #read}.
     */
    GatewayRequest.BodySource source(ChannelStreamSink sink, boolean onTheLoop) {
        return new GatewayRequest.BodySource() {
            @Override
            public byte[] read(int limit) throws IOException {
                byte[] read = RequestBody.this.read(limit);
                sink.bodyRead();
                return read;
            }

            @Override
            public boolean whenReadable(Runnable then) {
                return onTheLoop && RequestBody.this.whenReadable(then);
            }
        };
    }

    /** On the request's thread: the whole body, or null once it exceeds {@code limit}; waits for it to arrive. */
    byte[] read(int limit) throws IOException {
        wanted = true;
        Object known = outcome;
        if (known == null) {
            CompletableFuture<Object> arrived = new CompletableFuture<>();
            loop.execute(() -> want(arrived));
            try {
                known = arrived.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();  // the client left (StreamSink.onDisconnect): the gateway stops
                throw new InterruptedIOException("interrupted while the request body arrived");
            } catch (ExecutionException e) {
                known = e.getCause();
            }
        }
        if (known instanceof byte[] body) {
            outcome = HANDED_OVER;  // only this thread writes the outcome once it is the body
            return body.length > limit ? null : body;
        }
        if (known == HANDED_OVER) {
            throw new IllegalStateException("the request body was read already");
        }
        if (known instanceof IOException failure) {
            throw failure;
        }
        if (known instanceof RuntimeException refused) {
            throw refused;
        }
        return null;  // TOO_LARGE
    }

    /**
     * On the event loop serving the request: runs {@code then} once {@link #read} will not wait — on the
     * loop, or on a request thread for a body over {@link #LOOP_MAX_BYTES}, whose decoding would hold up
     * every other connection of the loop; false when {@link #read} would not wait now.
     */
    boolean whenReadable(Runnable then) {
        wanted = true;
        if (outcome != null) {
            return false;
        }
        CompletableFuture<Object> arrived = new CompletableFuture<>();
        // completed on the loop (finish); the request goes on in a task of its own, after the read that brought the last byte
        arrived.whenComplete((known, failure) -> {
            if (known instanceof byte[] whole && whole.length > LOOP_MAX_BYTES) {
                connection.onAThread(then);
            } else {
                loop.execute(then);
            }
        });
        want(arrived);
        return true;
    }

    private void want(CompletableFuture<Object> arrived) {
        Object known = outcome;
        if (known != null) {
            settle(arrived, known);
            return;
        }
        waiter = arrived;
        if (expectsContinue && !continued && size == 0) {
            continued = true;
            connection.sendContinue();
        }
        connection.readMore();
    }

    /** A piece of the body from the decoder; released here. */
    void offer(HttpContent content) {
        try {
            ByteBuf data = content.content();
            int length = data.readableBytes();
            if (discarding || outcome == TOO_LARGE) {
                discarded += length;
            } else if (length > 0) {
                if ((long) size + length > GatewayRequest.MAX_BODY_BYTES) {
                    discarded += length;
                    tooLarge();
                } else {
                    append(data, length);
                }
            }
            if (content instanceof LastHttpContent) {
                ended = true;
                if (outcome == null && !discarding) {
                    byte[] whole = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
                    bytes = NONE;
                    finish(whole);
                }
            }
        } finally {
            content.release();
        }
    }

    private void append(ByteBuf data, int length) {
        int needed = size + length;
        if (needed > bytes.length) {
            int initial = declaredLength >= 0 && declaredLength <= EXACT_MAX_BYTES ? (int) declaredLength
                    : (int) Math.min(declaredLength > 0 ? declaredLength : 1024, EXACT_MAX_BYTES);
            int capacity = Math.max(needed, Math.max(initial, (int) Math.min(bytes.length * 2L, GatewayRequest.MAX_BODY_BYTES)));
            bytes = Arrays.copyOf(bytes, capacity);
        }
        data.readBytes(bytes, size, length);
        size = needed;
    }

    private void tooLarge() {
        bytes = NONE;
        size = 0;
        finish(TOO_LARGE);
    }

    /** The body cannot be had: the client left, stopped sending, or sent what HTTP does not allow. */
    void fail(Throwable why) {
        if (outcome == null) {
            bytes = NONE;
            finish(why);
        }
    }

    /** What arrives from now on is counted and dropped: the answer went out without needing it. */
    void discardRest() {
        discarding = true;
        bytes = NONE;
        size = 0;
    }

    private void finish(Object result) {
        outcome = result;
        CompletableFuture<Object> waiting = waiter;
        if (waiting != null) {
            waiter = null;
            settle(waiting, result);
        }
    }

    private static void settle(CompletableFuture<Object> arrived, Object result) {
        if (result instanceof Throwable failure) {
            arrived.completeExceptionally(failure);
        } else {
            arrived.complete(result);
        }
    }

    /** Whether the gateway asked for the body (then a refused one is drained by the larger allowance). */
    boolean wanted() {
        return wanted;
    }

    /** Whether the request's thread is waiting for bytes that have not arrived. */
    boolean waiting() {
        return waiter != null;
    }

    /** Whether the body's last byte has arrived (read or discarded). */
    boolean ended() {
        return ended;
    }

    /** Whether the body can no longer end normally on this connection (a failure other than its size). */
    boolean broken() {
        return outcome instanceof Throwable;
    }

    /**
     * Whether the client still waits for {@code 100 Continue} it never got: it may never send the body,
     * so the connection cannot carry another request.
     */
    boolean continueWithheld() {
        return expectsContinue && !continued && !ended;
    }

    /** Bytes of the body dropped so far (over the bound, or after the answer). */
    long discarded() {
        return discarded;
    }
}
