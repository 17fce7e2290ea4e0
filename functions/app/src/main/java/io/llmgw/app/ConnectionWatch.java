package io.llmgw.app;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Function;

/**
 * What the servlet container can tell about a client's connection beyond the servlet API: whether
 * it closed while the gateway waits upstream, how to end a request without waiting for a body
 * nobody will read, and whether an async response can outlive the servlet call. Jetty's is
 * {@link JettyConnectionWatch}; elsewhere (the Lambda container, which has no connection) nothing is
 * watched.
 */
interface ConnectionWatch {
    ConnectionWatch NONE = new ConnectionWatch() {};

    /** Which watch a request gets. */
    interface Factory extends Function<HttpServletRequest, ConnectionWatch> {}

    /** From the end of the request body until {@link #stop}: runs {@code onGone} once if the client leaves. */
    default void start(Runnable onGone) {}

    /** No probe runs after this returns (the answer is being written, or the request is over). */
    default void stop() {}

    /**
     * After the answer: reads and discards what is left of the request body, at most
     * {@code maxBytes} within {@code maxMillis}, and closes the connection if the body is still not
     * over — so a client that sends its whole body before reading sees the answer, and one that goes
     * on sending cannot hold the connection. Returns at once when the body was read to its end.
     */
    default void drain(long maxBytes, long maxMillis) {}

    /**
     * Whether the container finishes a response left in async mode once another thread completes it,
     * so that a stream that lasts may be relayed on a thread of its own ({@link ServletStreamSink#detach}).
     * Jetty does; the Lambda container that runs this app behind API Gateway sends the response when
     * the servlet returns, so there a stream stays on the request's thread.
     */
    default boolean finishesAsync() {
        return false;
    }
}
