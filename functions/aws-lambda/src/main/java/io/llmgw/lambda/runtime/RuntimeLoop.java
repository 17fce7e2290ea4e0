package io.llmgw.lambda.runtime;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.LiveGateway;
import io.llmgw.core.secrets.SecretException;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.lambda.secrets.SecretsClients;
import io.llmgw.lambda.secrets.SecretsManagerSource;
import io.llmgw.lambda.snapstart.FreshIds;
import io.llmgw.lambda.snapstart.Priming;
import io.llmgw.lambda.snapstart.SnapStartHooks;
import io.llmgw.lambda.telemetry.LambdaTelemetry;
import io.llmgw.lambda.url.FunctionUrlEvents;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function-URL runtime: init, SnapStart hooks, then {@code GET /next} → {@code Gateway.handle}
 * → a streamed {@code POST /response}, one invocation at a time, for the life of the environment.
 *
 * <p>Init reads the secret and builds the gateway; any configuration or secret problem is posted
 * to {@code /init/error} with its message and the process exits. Under SnapStart
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) init only primes the code path; the secret
 * is read and the gateway (with its HTTP clients) built after restore, so neither is in the snapshot.
 */
public final class RuntimeLoop {
    /** Created on first use: logging initialises on another thread during a cold start (see StartupWarmup). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RuntimeLoop.class);
    }
    public static final int EXIT_INIT_FAILED = 1;
    public static final int EXIT_RUNTIME_API_GONE = 2;
    /** What the official runtime client exits with when a SnapStart hook fails. */
    public static final int EXIT_SNAPSTART_FAILED = 64;
    /** Kept back from Lambda's deadline so the in-stream error and trailers still go out when an upstream is too slow. */
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(500);

    private final Function<String, String> env;
    private final RuntimeApi api;
    private final SecretsClients.Factory secretsClients;
    private final Clock clock;
    private final LambdaTelemetry telemetry;
    private final SnapStartHooks hooks = new SnapStartHooks();
    private LiveGateway gateway;

    public RuntimeLoop(Function<String, String> env, SecretsClients.Factory secretsClients, Clock clock) {
        this.env = env;
        this.api = new RuntimeApi(env.apply("AWS_LAMBDA_RUNTIME_API"));
        this.secretsClients = secretsClients;
        this.clock = clock;
        this.telemetry = new LambdaTelemetry(env, clock, System.out);
        hooks.add(new Priming());
        hooks.add(new FreshIds());  // added last, so the first to run after a restore
    }

    /** Runs until the Runtime API goes away (or init fails); returns the process exit code. */
    public int run() {
        if ("snap-start".equals(env.apply("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            try {
                hooks.beforeCheckpoint();
            } catch (Exception e) {
                return report(() -> api.initError(error("Runtime.BeforeCheckpointError", e)), EXIT_SNAPSTART_FAILED, e);
            }
            try {
                api.restoreNext();
            } catch (IOException e) {
                Log.LOG.error("GET /restore/next failed", e);
                return EXIT_SNAPSTART_FAILED;
            }
            try {
                hooks.afterRestore();
                init();
            } catch (Exception e) {
                return report(() -> api.restoreError(error("Runtime.AfterRestoreError", e)), EXIT_SNAPSTART_FAILED, e);
            }
        } else {
            try {
                init();
            } catch (ConfigException e) {
                return report(() -> api.initError(ErrorReport.of("Gateway.ConfigurationError", e.getMessage())), EXIT_INIT_FAILED, e);
            } catch (SecretException e) {
                return report(() -> api.initError(ErrorReport.of("Gateway.SecretError", e.getMessage())), EXIT_INIT_FAILED, e);
            } catch (RuntimeException e) {
                return report(() -> api.initError(error("Runtime.InitError", e)), EXIT_INIT_FAILED, e);
            }
        }
        try {
            while (true) {
                Invocation invocation = api.next();
                invoke(invocation);
                gateway.refreshIfRequested();
            }
        } catch (IOException e) {
            // Lambda never closes the Runtime API under a live runtime; this is a local run ending or a broken environment.
            Log.LOG.info("the Runtime API is gone ({}); exiting", e.getMessage());
            return EXIT_RUNTIME_API_GONE;
        } finally {
            gateway.close();
        }
    }

    private void init() {
        SecretVariables secrets = null;
        String secretId = env.apply("GATEWAY_SECRET_ID");
        if (secretId != null && !secretId.isBlank()) {
            // Built only when a secret is configured: the SDK is the largest thing on the classpath.
            secrets = new SecretVariables(new SecretsManagerSource(secretsClients.create(env), secretId), clock);
            secrets.load();
        }
        Metrics metrics = new Metrics() {
            @Override
            public void requestFinished(RequestContext ctx) {
                telemetry.requestCompleted(ctx);
            }
        };
        gateway = new LiveGateway(env, secrets,
                (config, events) -> new Gateway(config, Gateway.Options.defaults().withEvents(events).withMetrics(metrics)));
    }

    void invoke(Invocation invocation) throws IOException {
        telemetry.begin(invocation);
        try {
            GatewayRequest request;
            try {
                Instant deadline = invocation.deadline();
                request = FunctionUrlEvents.toRequest(invocation.event(), invocation.requestId(),
                        deadline == null ? null : deadline.minus(DEADLINE_MARGIN));
            } catch (FunctionUrlEvents.UnsupportedEventException e) {
                api.invocationError(invocation.requestId(), ErrorReport.of("Gateway.UnsupportedEvent", e.getMessage()));
                return;
            }
            StreamingResponseSink sink = new StreamingResponseSink(() -> api.openStreamingResponse(invocation.requestId()));
            try {
                gateway.handle(request, sink);
            } catch (RuntimeException e) {
                Log.LOG.error("the gateway failed on invocation {}", invocation.requestId(), e);  // a bug: handle() never throws
                sink.fail(e);
            }
            if (!sink.finished()) {
                sink.fail(new IllegalStateException("the response was left unfinished"));
            }
            if (!sink.started()) {
                Throwable cause = sink.failedBeforeStart();
                api.invocationError(invocation.requestId(), ErrorReport.of("Gateway.NoResponse",
                        "The gateway produced no response" + (cause == null ? "." : ": " + cause.getMessage())));
            }
        } finally {
            telemetry.end();
        }
    }

    private static ErrorReport error(String type, Throwable e) {
        return ErrorReport.of(type, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private interface Post {
        int send() throws IOException;
    }

    private static int report(Post post, int exitCode, Exception cause) {
        Log.LOG.error("init failed: {}", cause.getMessage());
        try {
            int status = post.send();
            if (status != 202) {
                Log.LOG.error("the Runtime API answered {} to the error report", status);
            }
        } catch (IOException e) {
            Log.LOG.error("could not report the init failure to the Runtime API", e);
        }
        return exitCode;
    }
}
