package io.llmgw.core;

import io.llmgw.core.auth.KeyScrubber;
import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.resilience.Liveness;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.telemetry.RequestLog;
import io.llmgw.core.web.ClientGoneException;
import io.llmgw.core.web.ClientResponse;
import io.llmgw.core.web.GatewayRequest;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request being served: runs its parts with the gateway's error handling — on the request's own
 * thread, and on the threads its upstream answers arrive on ({@link ClientResponse#resumed}) — and ends it once:
 * the answer finished, the filters' end steps, the log line and metrics, then whoever waits for it.
 */
final class ServedRequest {
    /**
     * Created on first use, not with the class: a platform whose cold start matters (Lambda) can
     * then initialise its logging backend off the request path.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    }

    /** Where a request's outcome goes: the gateway's, shared by its requests. */
    record Outcomes(GatewayEvents events, Liveness liveness, Metrics metrics) {}

    private final GatewayRequest request;
    private final RequestContext ctx;
    private final ClientResponse out;
    private final KeyScrubber scrubber;
    /** The dialect errors are answered in: the path's, then the matched endpoint's. */
    private volatile ErrorFormat errors;
    private final Runnable ended;
    private final Outcomes outcomes;
    /** Held by whichever thread runs a part of the request: its own, or one an upstream's answer arrived on. */
    private final ReentrantLock turn = new ReentrantLock();
    private final Condition partRan = turn.newCondition();
    private final AtomicBoolean over = new AtomicBoolean();

    ServedRequest(GatewayRequest request, RequestContext ctx, ClientResponse out, KeyScrubber scrubber, ErrorFormat errors,
                  Runnable ended, Outcomes outcomes) {
        this.request = request;
        this.ctx = ctx;
        this.out = out;
        this.scrubber = scrubber;
        this.errors = errors;
        this.ended = ended;
        this.outcomes = outcomes;
    }

    GatewayRequest request() {
        return request;
    }

    RequestContext ctx() {
        return ctx;
    }

    ClientResponse out() {
        return out;
    }

    void errors(ErrorFormat format) {
        errors = format;
    }

    /**
     * Runs the request's first part on its own thread. Returns whether the request goes on elsewhere —
     * waiting for an upstream exchange whose answer arrives on another thread — and so ends there; otherwise it is the caller's to end. A platform that cannot
     * let the thread go while an exchange is out waits here, while the exchange's parts run.
     */
    boolean runFirst(Runnable work) {
        turn.lock();
        try {
            run(work);
            if (out.finished() || !out.awaitsExchanges()) {
                return out.detached();
            }
            if (out.detachUntilAnswered()) {
                return true;
            }
            while (!out.finished() && out.awaitsExchanges()) {
                partRan.awaitUninterruptibly();
            }
            return false;
        } finally {
            turn.unlock();
        }
    }

    /**
     * A part of the request that arrived on another thread ({@link ClientResponse#resumed}): it runs in
     * the request's turn, and ends the request when it was the last.
     */
    void resume(Runnable part) {
        boolean last;
        turn.lock();
        try {
            run(part);
            last = out.finished() || !out.awaitsExchanges();
            partRan.signalAll();
        } finally {
            turn.unlock();
        }
        if (last && out.detached()) {
            end();  // a request thread still waiting for its parts (not detached) ends it itself
        }
    }

    /** Runs part of the request; whatever it throws becomes the client's answer (or in-stream error), never a stack trace. */
    void run(Runnable work) {
        try {
            work.run();
        } catch (GatewayException e) {
            signal(e.error());
            answerError(e, e.error());
        } catch (ClientGoneException e) {
            ctx.errorKind("client_disconnected");
            out.fail(e);
        } catch (Throwable e) {
            // A bug or an exhausted JVM, not bad input: logged (keys scrubbed) with its stack trace,
            // never shown to the client, who gets a 500 in its own dialect.
            if (e instanceof VirtualMachineError fatal) {
                outcomes.liveness().fatalError(fatal);
            }
            logUnexpected(e);
            answerError(e, GatewayError.of(ErrorKind.INTERNAL,
                    "The gateway failed to handle the request (request id " + ctx.requestId() + ")."));
        }
    }

    /** The request is over: its answer finished, the filters' end steps, its log line and metrics, then {@code ended}; once. */
    void end() {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        try {
            try {
                if (!out.finished()) {
                    out.complete();
                }
            } catch (RuntimeException e) {
                out.fail(e);  // the client is gone; the log line below still records the request
            }
            out.runEndSteps(this::logUnexpected);
            RequestLog.write(ctx, request.method(), request.path());
            try {
                outcomes.metrics().requestFinished(ctx);
            } catch (RuntimeException e) {
                Log.LOG.warn("request-completed hook failed for request {}", ctx.requestId(), e);  // metrics never break an answer
            }
        } finally {
            ended.run();
        }
    }

    private void signal(GatewayError error) {
        if (error.kind() == ErrorKind.CREDENTIAL) {
            String upstream = ctx.upstream();
            outcomes.events().upstreamCredentialRejected(upstream == null ? null : upstream.substring(0, upstream.indexOf('/')));
        }
    }

    private void answerError(Throwable cause, GatewayError error) {
        ctx.errorKind(error.kind().name().toLowerCase(Locale.ROOT));
        try {
            if (!out.started()) {
                out.sendError(errors, error);
            } else if (!out.finished()) {
                out.write(errors.streamFrame(error));
                out.fail(cause);
            }
        } catch (ClientGoneException gone) {
            out.fail(gone);
        }
    }

    private void logUnexpected(Throwable e) {
        try {
            Log.LOG.error("unexpected failure handling request {}", ctx.requestId(), scrubber.scrub(e));
        } catch (Throwable logging) {
            // Out of memory again while logging: the 500 and the request-log line matter more.
        }
    }
}
