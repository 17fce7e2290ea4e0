package io.llmgw.netty;

import io.llmgw.core.upstream.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The {@link IOException}s an exchange's listener hears, worded as the blocking client words its
 * failures, and Netty's exceptions as the port names them: a connect that took too long is the
 * core's {@link ConnectTimeoutException}, anything else keeps the JDK's own type (a refused
 * connection a {@link java.net.ConnectException}, a refused certificate an
 * {@link javax.net.ssl.SSLHandshakeException}).
 */
final class Failures {
    private Failures() {}

    /** Connecting failed: Netty's connect timeout as the core's. */
    static IOException connectFailed(Throwable cause, Origin origin) {
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return timedOut("Could not connect to " + origin + " within " + span(origin.connectTimeout()) + ".", cause);
        }
        return of(cause, origin);
    }

    /**
     * Anything that failed on the connection: the codec's and the TLS handler's failures unwrapped (a
     * TLS handshake over the connect timeout is a connect timeout), an exception that is not an
     * {@link IOException} (a listener call that threw) wrapped.
     */
    static IOException of(Throwable cause, Origin origin) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SslHandshakeTimeoutException) {
            return timedOut("The TLS handshake with " + origin + " took longer than " + span(origin.connectTimeout()) + ".", root);
        }
        return root instanceof IOException io ? io : new IOException(String.valueOf(root.getMessage()), root);
    }

    static IOException deadlinePassed(Duration timeout) {
        return new SocketTimeoutException("The upstream did not answer within " + span(timeout) + ".");
    }

    static IOException closedBeforeHead() {
        return new IOException("The upstream closed the connection before answering.");
    }

    static IOException closedMidBody() {
        return new IOException("The upstream closed the connection before the end of its answer.");
    }

    static IOException cancelled() {
        return new IOException("The exchange was cancelled.");
    }

    static IOException notHttp(Throwable cause) {
        return new IOException("The upstream's answer is not valid HTTP/1.1: " + cause.getMessage(), cause);
    }

    static IOException unsendable(IllegalArgumentException cause) {
        return new IOException("The request cannot be sent: " + cause.getMessage(), cause);
    }

    private static IOException timedOut(String message, Throwable cause) {
        IOException timedOut = new ConnectTimeoutException(message);
        timedOut.initCause(cause);
        return timedOut;
    }

    /** {@code 120 s}, or {@code 700 ms} under a second. */
    static String span(Duration duration) {
        return duration.toMillis() < 1000 ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
    }
}
