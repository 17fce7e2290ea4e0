package io.llmgw.core.routing;

import io.llmgw.core.relay.StreamTranslator;

import io.llmgw.core.relay.Completion;
import io.llmgw.core.relay.OpenStream;
import io.llmgw.core.relay.Relay;

import io.llmgw.core.auth.Credential;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.UpstreamCall;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.web.ClientResponse;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Every upstream call of a routed request, translated or passed through: the attempt loop picks
 * the deployment, the deployment's provider builds the call, the one key routine here chooses the
 * key, the provider signs the request, and the relay sends it and reads the answer up to the
 * commit point.
 */
public final class UpstreamCalls {
    /**
     * The key of one call.
     *
     * @param value   what to send (the configured key or the client's own); null for none
     * @param gateway whether it is the gateway's own key, whose refusal is the gateway's problem, not the client's
     */
    public record Key(String value, boolean gateway) {
        /**
         * A caller with a gateway key is served with the provider's configured key; any other caller
         * (client and hybrid modes) with its own, which a route can only send to one provider (checked
         * at start-up).
         */
        public static Key of(Credential credential, Deployment deployment) {
            return credential.usesConfiguredKey() ? new Key(deployment.provider().apiKey(), true) : new Key(credential.forwardedKey(), false);
        }
    }

    private final Relay relay;
    private final Attempts attempts;

    public UpstreamCalls(Relay relay, Attempts attempts) {
        this.relay = relay;
        this.attempts = attempts;
    }

    /** Builds one deployment's call; {@code condenseTo} asks to drop oldest turns to fit, or is null. */
    @FunctionalInterface
    public interface CallFor<C extends UpstreamCall> {
        C build(Deployment deployment, Integer condenseTo);
    }

    /**
     * Streams the winning deployment's answer to the client through the translator made for its call.
     * {@code committed} runs once the winner is known, before its stream is relayed: from there on no
     * attempt builds a request again, so what only attempts needed may go (a stream can last minutes).
     * The stream may still be running when this returns (its answer arriving on another thread); a failure
     * before the commit point goes up to the request's error handling.
     */
    public <C extends UpstreamCall> void stream(Route route, Attempts.Estimate estimate, Credential credential, RequestContext ctx,
                                                ClientResponse out, CallFor<C> build,
                                                Function<C, StreamTranslator> translator, Runnable committed) {
        attempts.<OpenStream>run(route, estimate, ctx, out, (deployment, condenseTo, opened) -> {
            C call = build.build(deployment, condenseTo);
            Key key = Key.of(credential, deployment);
            relay.open(signed(deployment, call, key), call, key.gateway(), translator.apply(call), ctx, out, opened);
        }, Completion.then(won -> {
            out.atEnd(won::close);  // the deployment's slot is held until the stream is over, which may be on another thread
            try {
                committed.run();
            } catch (RuntimeException e) {
                won.value().close();
                throw e;
            }
            won.value().commit(out, ctx);
        }));
    }

    /** The winning deployment's whole answer, read by {@code read} (which may fail, and fail over, too), handed to {@code answer}. */
    public <C extends UpstreamCall, T> void call(Route route, Attempts.Estimate estimate, Credential credential, RequestContext ctx,
                                                 ClientResponse out, CallFor<C> build, BiFunction<C, byte[], T> read,
                                                 Completion<T> answer) {
        attempts.<T>run(route, estimate, ctx, out, (deployment, condenseTo, result) -> {
            C call = build.build(deployment, condenseTo);
            Key key = Key.of(credential, deployment);
            relay.call(signed(deployment, call, key), call, key.gateway(), ctx, out, new Completion<>() {
                @Override
                public void done(byte[] body) {
                    T value;
                    try {
                        value = read.apply(call, body);
                    } catch (RuntimeException unreadable) {
                        result.failed(unreadable);
                        return;
                    }
                    result.done(value);
                }

                @Override
                public void failed(RuntimeException error) {
                    result.failed(error);
                }
            });
        }, new Completion<Attempts.Won<T>>() {
            @Override
            public void done(Attempts.Won<T> won) {
                won.close();  // the deployment's slot goes back before the answer is written
                answer.done(won.value());
            }

            @Override
            public void failed(RuntimeException error) {
                answer.failed(error);
            }
        });
    }

    private static UpstreamRequest signed(Deployment deployment, UpstreamCall call, Key key) {
        return deployment.upstream().sign(call.request(), key.value());
    }
}
