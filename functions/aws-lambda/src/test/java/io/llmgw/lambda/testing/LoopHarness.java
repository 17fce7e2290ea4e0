package io.llmgw.lambda.testing;

import io.llmgw.lambda.runtime.RuntimeLoop;
import io.llmgw.lambda.secrets.SecretsClients;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.MutableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real runtime loop, in-process on its own thread, against a {@link FakeRuntimeApi} and a
 * {@link FakeUpstream} (an OpenAI-compatible upstream serving every model).
 */
public final class LoopHarness implements AutoCloseable {
    public final FakeRuntimeApi runtime;
    public final FakeUpstream upstream;
    public final MutableClock clock = new MutableClock();
    public final Map<String, String> env = new HashMap<>();
    private CompletableFuture<Integer> exit;

    public LoopHarness() throws Exception {
        runtime = FakeRuntimeApi.start();
        upstream = FakeUpstream.start();
        env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "gateway");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("OPENAI_API_KEY", "sk-upstream-test-key-00000000000000");
        env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("PROXY_API_KEY", Events.KEY);
        env.put("REQUEST_TIMEOUT", "10000");
    }

    public LoopHarness start() {
        return start(env -> {
            throw new AssertionError("no secret configured in this test");
        });
    }

    public LoopHarness start(SecretsClients.Factory secrets) {
        RuntimeLoop loop = new RuntimeLoop(Map.copyOf(env)::get, secrets, clock);
        exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                exit.complete(loop.run());
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "runtime-loop");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** The loop's exit code once it ended by itself (init failure) or after {@link #close}. */
    public int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        runtime.close();
        if (exit != null) {
            try {
                exit.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // an assertion already failed; the loop thread is a daemon
            }
        }
        upstream.close();
    }
}
