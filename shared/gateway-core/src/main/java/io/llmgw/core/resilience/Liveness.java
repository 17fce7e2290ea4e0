package io.llmgw.core.resilience;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this process can still be trusted to serve. A {@link VirtualMachineError} (out of
 * memory, stack overflow) may have left any thread or shared component broken, so after one the
 * process reports itself dead on {@code /health/live} and lets the platform replace it.
 */
public final class Liveness {
    private final AtomicReference<String> fatal = new AtomicReference<>();

    public void fatalError(VirtualMachineError error) {
        fatal.compareAndSet(null, error.getClass().getSimpleName());
    }

    public boolean alive() {
        return fatal.get() == null;
    }

    /** What made the process unfit, or null while it is alive. */
    public String reason() {
        return fatal.get();
    }
}
