package io.llmgw.lambda.snapstart;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the SnapStart hooks around {@code GET /runtime/restore/next}, the way the official runtime
 * client does: our own hooks in order (reverse order after restore), then the {@code org.crac}
 * resources libraries registered. On Lambda those live in the runtime client's context
 * ({@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}, a class on Lambda's own
 * classpath that the wrapper keeps), which {@code org.crac}'s public API cannot trigger, so it is
 * reached by reflection; elsewhere it does not exist and is skipped.
 */
public final class SnapStartHooks {
    /** Created on first use: logging initialises on another thread during a cold start (see StartupWarmup). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(SnapStartHooks.class);
    }
    private static final String RUNTIME_CRAC_CORE = "com.amazonaws.services.lambda.crac.Core";

    /** One hook; both phases are optional. */
    public interface Hook {
        default void beforeCheckpoint() throws Exception {}

        default void afterRestore() throws Exception {}
    }

    private final List<Hook> hooks = new ArrayList<>();

    public SnapStartHooks add(Hook hook) {
        hooks.add(hook);
        return this;
    }

    public void beforeCheckpoint() throws Exception {
        for (Hook hook : hooks) {
            hook.beforeCheckpoint();
        }
        runtimeContext("beforeCheckpoint");
    }

    public void afterRestore() throws Exception {
        runtimeContext("afterRestore");
        for (int i = hooks.size() - 1; i >= 0; i--) {
            hooks.get(i).afterRestore();
        }
    }

    private static void runtimeContext(String phase) throws Exception {
        Class<?> core;
        try {
            core = Class.forName(RUNTIME_CRAC_CORE);
        } catch (ClassNotFoundException e) {
            return;  // not on Lambda: no library hooks to run
        }
        Object context = core.getMethod("getGlobalContext").invoke(null);
        for (Method method : context.getClass().getMethods()) {
            if (method.getName().equals(phase) && method.getParameterCount() == 1) {
                Log.LOG.debug("running the runtime's {} hooks", phase);
                method.invoke(context, new Object[] {null});
                return;
            }
        }
    }
}
