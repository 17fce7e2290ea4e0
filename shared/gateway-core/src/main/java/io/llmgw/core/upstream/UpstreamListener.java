package io.llmgw.core.upstream;

import io.llmgw.core.http.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What happens to one upstream exchange, in order: {@link #onHead} once, {@link #onBody} any number
 * of times, then exactly one of {@link #onEnd} or {@link #onFailure} — or {@code onFailure} alone,
 * when no answer came. Nothing is heard after the listener called {@link UpstreamExchange#finish} or
 * {@link UpstreamExchange#abort}.
 */
public interface UpstreamListener {
    /** The status line and headers arrived; {@code exchange} controls the rest of it. */
    void onHead(UpstreamExchange exchange, int status, Headers headers);

    /** The next bytes of the body, de-chunked; valid only during this call (copy what is kept). */
    void onBody(ByteBuffer bytes);

    /** The body is complete. */
    void onEnd();

    /**
     * The exchange failed: before the head (no connection, or it closed before answering; a
     * {@link ConnectTimeoutException} when connecting took too long) or after it (the body was cut
     * off), or it was cancelled. {@code deadlinePassed} when it was the request timeout that ended it.
     */
    void onFailure(IOException cause, boolean deadlinePassed);
}
