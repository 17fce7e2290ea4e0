package io.llmgw.core;

import io.llmgw.core.secrets.SecretVariables;

import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.telemetry.GatewayEvents;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway a platform serves with, rebuilt when its secrets change. Configuration variables
 * are the environment overlaid by the secrets (the secret wins, so rotating a key in the store
 * takes effect without redeploying). An unknown client key or an upstream rejecting the
 * gateway's key asks for a refresh, which the platform runs after the response went out:
 * between invocations (Lambda) or on another thread (platforms serving requests concurrently).
 * A gateway replaced while requests are still running on it is closed when the last one ends.
 */
public final class LiveGateway implements GatewayEvents, AutoCloseable {
    /** Created on first use: on Lambda, logging initialises on another thread during a cold start. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(LiveGateway.class);
    }

    /** Builds a gateway from a configuration; {@code events} must reach it so that it can ask for refreshes. */
    @FunctionalInterface
    public interface Factory {
        Gateway create(GatewayConfig config, GatewayEvents events);
    }

    /** One built gateway and the requests using it; the live gateway itself holds one reference until replaced. */
    private static final class Generation {
        final Gateway gateway;
        private final AtomicInteger holds = new AtomicInteger(1);

        Generation(Gateway gateway) {
            this.gateway = gateway;
        }

        boolean acquire() {
            for (int n = holds.get(); n > 0; n = holds.get()) {
                if (holds.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;  // already retired and closed: the caller reads the new current one
        }

        void release() {
            if (holds.decrementAndGet() == 0) {
                gateway.close();
            }
        }
    }

    private final Function<String, String> env;
    private final SecretVariables secrets;
    private final Factory factory;
    private final AtomicBoolean refreshRequested = new AtomicBoolean();
    private volatile Generation current;

    /**
     * @param secrets null when no secret store is configured (nothing is ever refreshed); already loaded otherwise
     * @throws ConfigException when the layered variables do not make a valid configuration
     */
    public LiveGateway(Function<String, String> env, SecretVariables secrets, Factory factory) {
        this.env = env;
        this.secrets = secrets;
        this.factory = factory;
        this.current = new Generation(factory.create(load(), this));
    }

    /** A live gateway that is never rebuilt: no secret store, the configuration already loaded (e.g. by a test). */
    public static LiveGateway fixed(GatewayConfig config, Factory factory) {
        return new LiveGateway(config, factory);
    }

    private LiveGateway(GatewayConfig config, Factory factory) {
        this.env = null;
        this.secrets = null;
        this.factory = factory;
        this.current = new Generation(factory.create(config, this));
    }

    /** The gateway serving new requests now (for gauges and checks; requests go through {@link #handle}). */
    public Gateway current() {
        return current.gateway;
    }

    /**
     * {@link Gateway#handle} on the current gateway, which stays open until this request is over —
     * a committed stream's end, which may come after this returns.
     */
    public void handle(GatewayRequest request, StreamSink sink) {
        handle(request, sink, () -> { });
    }

    /** As {@link #handle(GatewayRequest, StreamSink)}, then runs {@code ended} once the request is over ({@link Gateway#handle}). */
    public void handle(GatewayRequest request, StreamSink sink, Runnable ended) {
        Generation generation = current;
        while (!generation.acquire()) {
            Generation next = current;  // a refresh sets the new one before it releases the old one
            if (next == generation) {
                throw new IllegalStateException("the gateway is closed");
            }
            generation = next;
        }
        Generation serving = generation;
        serving.gateway.handle(request, sink, () -> {
            serving.release();
            ended.run();
        });
    }

    private GatewayConfig load() {
        return ConfigLoader.load(secrets == null ? env : SecretVariables.layered(env, secrets.values()));
    }

    @Override
    public void unknownGatewayKey() {
        refreshRequested.set(secrets != null);
    }

    @Override
    public void upstreamCredentialRejected(String provider) {
        refreshRequested.set(secrets != null);
    }

    /** True when a request asked for the secrets to be read again and no refresh has run since. */
    public boolean refreshRequested() {
        return refreshRequested.get();
    }

    /**
     * Re-reads the secrets if a request asked for it (at most once a minute, see
     * {@link SecretVariables#refresh}) and swaps in a gateway built from them. Call it after the
     * response that asked went out; concurrent calls run it once.
     */
    public void refreshIfRequested() {
        if (!refreshRequested.getAndSet(false)) {
            return;
        }
        synchronized (this) {
            if (!secrets.refresh()) {
                return;
            }
            try {
                Generation old = current;
                current = new Generation(factory.create(load(), this));
                old.release();
                Log.LOG.info("gateway rebuilt from the refreshed secrets of {}", secrets.name());
            } catch (ConfigException e) {
                Log.LOG.error("the refreshed secrets of {} give an invalid configuration, keeping the previous one: {}",
                        secrets.name(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        current.release();
    }
}
