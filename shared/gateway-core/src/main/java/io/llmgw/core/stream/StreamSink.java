package io.llmgw.core.stream;

import io.llmgw.core.http.Headers;
import java.io.IOException;

/**
 * Where a response goes: the only thing a platform implements. The gateway calls
 * {@code start} once, then {@code write}/{@code flush} any number of times, then exactly one of
 * {@code complete} or {@code fail}. Writes block while the client is slow to read, which is what
 * slows the upstream read down (back-pressure) instead of queueing.
 */
public interface StreamSink {
    void start(int status, Headers headers) throws IOException;

    void write(byte[] bytes, int offset, int length) throws IOException;

    default void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    void flush() throws IOException;

    /** The response ended normally. */
    void complete() throws IOException;

    /**
     * The response cannot be finished (the upstream died after the stream started and the error
     * event is already written, or the client went away). Platforms that can signal an abnormal
     * end (Lambda's error trailers, an HTTP/2 reset) do so here.
     */
    void fail(Throwable error);

    /**
     * Registers what to run if the platform learns that the client went away while the response
     * is still being prepared (for instance during a long non-streamed upstream call), so the
     * gateway can cancel its upstream call. Platforms that cannot tell ignore it.
     */
    default void onDisconnect(Runnable action) {}

    /**
     * Whether the client takes more now. A sink whose writes wait while the client is slow (a thread
     * per request) always does; one whose writes must never wait (an event loop's) says no while its
     * buffer is above its high-water mark, and the relay then pauses the upstream read.
     */
    default boolean ready() {
        return true;
    }

    /** Runs {@code then} once the client takes more again; asked only after {@link #ready} said no. */
    default void whenReady(Runnable then) {
        then.run();
    }

    /**
     * Asks to finish this response from another thread after the request's own thread has returned
     * to the platform (a servlet's async mode); called at most once, for a committed stream. A
     * platform that agrees must keep the response open until {@code complete} or {@code fail}, and
     * still hears no more than one of them. Platforms that cannot say no (the default): the stream is
     * then relayed on the request's thread.
     */
    default boolean detach() {
        return false;
    }
}
