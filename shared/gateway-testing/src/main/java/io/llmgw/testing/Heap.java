package io.llmgw.testing;

import java.lang.management.ManagementFactory;

/** The heap as tests that bound memory read it. */
public final class Heap {
    private Heap() {}

    /** Bytes in use after asking for a collection three times, the least seen: garbage left over does not count. */
    public static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Bytes this thread allocates while running {@code action}: the garbage a piece of code makes, counted exactly. */
    public static long allocatedBy(Action action) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** What {@link #allocatedBy} runs. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }
}
