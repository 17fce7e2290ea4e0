package io.llmgw.lambda.runtime;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.lambda.secrets.SecretVariables;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway this environment serves with, rebuilt when the secret changes. Configuration
 * variables are the environment overlaid by the secret's keys (the secret wins, so rotating a key
 * in Secrets Manager takes effect without redeploying). An unknown client key or an upstream
 * rejecting our key asks for a refresh; it happens after the current response went out, and at
 * most once a minute (see {@link SecretVariables#refresh}).
 */
public final class LiveGateway implements GatewayEvents, AutoCloseable {
    /** Created on first use: logging initialises on another thread during a cold start (see StartupWarmup). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(LiveGateway.class);
    }

    private final Function<String, String> env;
    private final SecretVariables secrets;
    private final Consumer<RequestContext> completed;
    private volatile Gateway current;
    private volatile boolean refreshRequested;

    /** @param secrets null when no {@code GATEWAY_SECRET_ID} is set; already loaded otherwise */
    public LiveGateway(Function<String, String> env, SecretVariables secrets, Consumer<RequestContext> completed) {
        this.env = env;
        this.secrets = secrets;
        this.completed = completed;
        this.current = build(load());
    }

    public Gateway current() {
        return current;
    }

    /** The environment, with the secret's keys laid over it. */
    public static Function<String, String> layered(Function<String, String> env, Map<String, String> secretValues) {
        return name -> secretValues.containsKey(name) ? secretValues.get(name) : env.apply(name);
    }

    private GatewayConfig load() {
        return ConfigLoader.load(secrets == null ? env : layered(env, secrets.values()));
    }

    @Override
    public void unknownGatewayKey() {
        refreshRequested = secrets != null;
    }

    @Override
    public void upstreamCredentialRejected(String provider) {
        refreshRequested = secrets != null;
    }

    private Gateway build(GatewayConfig config) {
        Metrics metrics = new Metrics() {
            @Override
            public void requestFinished(RequestContext ctx) {
                completed.accept(ctx);
            }
        };
        return new Gateway(config, Gateway.Options.defaults().withEvents(this).withMetrics(metrics));
    }

    /** Called between invocations: re-reads the secret if asked to, and swaps in a gateway built from it. */
    public void refreshIfRequested() {
        if (!refreshRequested) {
            return;
        }
        refreshRequested = false;
        if (!secrets.refresh()) {
            return;
        }
        try {
            Gateway old = current;
            current = build(load());
            old.close();
            Log.LOG.info("gateway rebuilt from the refreshed secret {}", secrets.secretId());
        } catch (ConfigException e) {
            Log.LOG.error("the refreshed secret {} gives an invalid configuration, keeping the previous one: {}",
                    secrets.secretId(), e.getMessage());
        }
    }

    @Override
    public void close() {
        current.close();
    }
}
