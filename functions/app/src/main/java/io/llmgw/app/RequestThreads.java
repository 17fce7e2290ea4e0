package io.llmgw.app;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where each request runs once it leaves its connection's event loop ({@link RequestHandOff}): on an
 * idle platform thread of a small pool when there is one, on a new virtual thread otherwise — the pool
 * never queues a request behind another.
 *
 * <p>Why not a virtual thread for every request: at one connection a request on a pooled platform
 * thread costs about a third less CPU and answers sooner (docs/decisions.md, README › Benchmarks).
 * Its blocking reads (the client's body, the upstream's answer) wait in the kernel on the thread
 * itself, where a virtual thread parks, copies its stack off the carrier, goes through the JDK's
 * poller and waits for a carrier to be woken — twice or more per request. Why not platform threads
 * only: thousands of requests in flight at once must not need thousands of OS threads. A request
 * here holds its thread only until its upstream call is sent (the answer arrives on an event loop);
 * once every pooled thread is busy new requests simply run on virtual threads.
 */
final class RequestThreads implements Executor {
    /** Idle pooled threads end after this long, so a quiet instance keeps none. */
    private static final long IDLE_SECONDS = 60;

    private final ThreadPoolExecutor platform;

    /** @param platformThreads how many platform threads the pool may have at most */
    RequestThreads(int platformThreads) {
        ExecutorService virtual = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("request-v", 0).factory());
        // A SynchronousQueue hands a task only to a thread waiting for one (or starts a thread while
        // under the bound); when neither is possible the task is rejected, and runs on a virtual thread.
        platform = new ThreadPoolExecutor(0, platformThreads, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Thread.ofPlatform().daemon().name("request-", 0).factory(), (task, pool) -> virtual.execute(task));
    }

    @Override
    public void execute(Runnable task) {
        platform.execute(task);
    }

    /** Platform threads in the pool now, busy or idle. */
    int platformThreads() {
        return platform.getPoolSize();
    }
}
