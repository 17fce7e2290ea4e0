package io.llmgw.core.relay;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.stream.SseReader;
import io.llmgw.core.stream.SseTooLargeException;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.upstream.UpstreamListener;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.upstream.UpstreamTransport;
import io.llmgw.core.web.ClientResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Runs one upstream call through the transport and reads its answer as it arrives: whole
 * ({@link #call}) or as a stream ({@link #open}, then {@link OpenStream#commit}). For streams the
 * commit point is the first upstream event: until it arrives every failure is a plain HTTP error
 * (and a reason to fail over); after it, failures become in-stream error events.
 */
public final class Relay {
    /** Largest non-streamed upstream response body the gateway reads. */
    public static final int MAX_UPSTREAM_BODY_BYTES = 32 * 1024 * 1024;

    /** A stream silent for this long gets the client dialect's keep-alive frame. */
    public static final Duration KEEP_ALIVE_AFTER = Duration.ofSeconds(10);

    private final UpstreamTransport transport;
    private final long keepAliveNanos;

    public Relay(UpstreamTransport transport) {
        this(transport, KEEP_ALIVE_AFTER);
    }

    public Relay(UpstreamTransport transport, Duration keepAliveAfter) {
        this.transport = transport;
        this.keepAliveNanos = keepAliveAfter.toNanos();
    }

    /**
     * A complete non-streamed upstream body; upstream errors (and failures) arrive as a {@link GatewayException}.
     *
     * @param out the response of the request this call serves, whose later parts the answer may bring
     *            ({@link ClientResponse#resumed}); null for a caller that waits for the answer itself
     */
    public void call(UpstreamRequest request, UpstreamCall call, boolean gatewayKey, RequestContext ctx, ClientResponse out,
                     Completion<byte[]> answer) {
        send(request, ctx, out, answer, bounded -> new WholeAnswer(bounded, call, gatewayKey, ctx, answer));
    }

    /** As {@link #call}, for a caller that waits for the answer on its own thread (the models list): the body, or the failure thrown. */
    public byte[] callAndWait(UpstreamRequest request, UpstreamCall call, boolean gatewayKey, RequestContext ctx) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        call(request, call, gatewayKey, ctx, null, new Completion<>() {
            @Override
            public void done(byte[] value) {
                answer.complete(value);
            }

            @Override
            public void failed(RuntimeException error) {
                answer.completeExceptionally(error);
            }
        });
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /**
     * Sends the request and reads up to the first upstream event, then hands {@code opened} the stream
     * to commit. Any failure until then arrives as a {@link GatewayException} and nothing has reached
     * the client, so the caller may fail over.
     */
    public void open(UpstreamRequest request, UpstreamCall call, boolean gatewayKey, StreamTranslator translator, RequestContext ctx,
                     ClientResponse out, Completion<OpenStream> opened) {
        send(request, ctx, out, opened, bounded -> new OpenStream(bounded, call, gatewayKey, translator, ctx, keepAliveNanos, opened));
    }

    /** Sends {@code request} bounded by the request's deadline to the listener made for it; a deadline already passed fails {@code waiting}. */
    private void send(UpstreamRequest request, RequestContext ctx, ClientResponse out, Completion<?> waiting,
                      Function<UpstreamRequest, UpstreamListener> listener) {
        UpstreamRequest bounded;
        try {
            bounded = withinDeadline(request, ctx);
        } catch (GatewayException e) {
            waiting.failed(e);
            return;
        }
        ctx.upstreamSent();
        Resumed.send(transport, bounded, ctx, out, listener.apply(bounded));
    }

    /** A platform deadline (Lambda's) bounds every upstream call; a call that cannot start in time is a timeout. */
    private static UpstreamRequest withinDeadline(UpstreamRequest request, RequestContext ctx) {
        if (ctx.deadline() == null) {
            return request;
        }
        Duration left = Duration.between(Instant.now(), ctx.deadline());
        if (left.toMillis() <= 0) {
            throw GatewayError.of(ErrorKind.TIMEOUT, "The invocation deadline passed before the upstream call.", "deadline_exceeded")
                    .exception();
        }
        return request.boundedBy(left);
    }

    /** An answer's body that could not be read to its end (or, for a stream, decoded). */
    static GatewayError readFailure(IOException e, boolean deadlinePassed) {
        if (e instanceof SseTooLargeException) {
            return GatewayError.of(ErrorKind.UPSTREAM_ERROR, "The upstream sent an event larger than the gateway accepts ("
                    + SseReader.DEFAULT_MAX_EVENT_BYTES + " bytes).", "upstream_event_too_large").withStatus(502);
        }
        if (deadlinePassed) {
            return GatewayError.of(ErrorKind.TIMEOUT, "The upstream did not finish within the request timeout.", "upstream_timeout");
        }
        return GatewayError.of(ErrorKind.CONNECTION, "The upstream connection was lost: " + describe(e), "upstream_connection_lost");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
