package io.llmgw.core.upstream;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** What the client is told when an upstream exchange failed before its answer began, whichever transport ran it. */
public final class UpstreamFailures {
    private UpstreamFailures() {
    }

    /** A failure reported by a transport before the answer's head: connecting, sending, or waiting for the head. */
    public static GatewayException beforeHead(IOException cause, UpstreamRequest request, boolean deadlinePassed) {
        if (deadlinePassed) {
            return failure(ErrorKind.TIMEOUT, "The upstream did not answer within " + span(request.timeout()) + ".");
        }
        if (cause instanceof ConnectTimeoutException) {
            return failure(ErrorKind.CONNECTION, "Could not connect to the upstream within " + span(request.connectTimeout()) + ".");
        }
        if (cause instanceof ConnectException) {
            return failure(ErrorKind.CONNECTION, "Could not connect to the upstream (connection refused).");
        }
        if (cause instanceof SocketTimeoutException) {
            return failure(ErrorKind.TIMEOUT, "The upstream did not answer within " + span(request.timeout()) + ".");
        }
        if (Thread.currentThread().isInterrupted() || cause instanceof InterruptedIOException) {
            return failure(ErrorKind.TIMEOUT, "Interrupted while waiting for the upstream.");
        }
        return failure(ErrorKind.CONNECTION, "The upstream closed the connection before answering.");
    }

    /** {@code 120 s}, or {@code 700 ms} under a second (a deadline an earlier attempt cut short), never {@code 0 s}. */
    static String span(Duration duration) {
        return duration.toMillis() < 1000 ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
    }

    private static GatewayException failure(ErrorKind kind, String message) {
        return GatewayError.of(kind, message, kind == ErrorKind.TIMEOUT ? "upstream_timeout" : "upstream_unreachable").exception();
    }
}
