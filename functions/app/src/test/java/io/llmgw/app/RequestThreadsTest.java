package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestThreadsTest {
    /** Runs a task that records its thread and waits for {@code release}; returns the thread once it started. */
    private static CompletableFuture<Thread> start(RequestThreads threads, CountDownLatch release) {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        threads.execute(() -> {
            ran.complete(Thread.currentThread());
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return ran;
    }

    @Test
    void requestsRunOnPooledPlatformThreadsThenOnVirtualThreadsWithoutWaiting() throws Exception {
        RequestThreads threads = new RequestThreads(2);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = start(threads, release).get(5, TimeUnit.SECONDS);
        Thread second = start(threads, release).get(5, TimeUnit.SECONDS);
        assertThat(first.isVirtual()).isFalse();
        assertThat(second.isVirtual()).isFalse();
        assertThat(first.getName()).startsWith("jetty-request-");
        assertThat(first.isDaemon()).as("a pooled thread must not keep the JVM from exiting").isTrue();

        // Both pooled threads are busy: the third request starts at once, on a virtual thread, instead of queueing.
        Thread third = start(threads, release).get(5, TimeUnit.SECONDS);
        assertThat(third.isVirtual()).isTrue();
        assertThat(third.getName()).startsWith("jetty-request-");
        assertThat(threads.platformThreads()).isEqualTo(2);

        release.countDown();
        // A pooled thread that is free again takes the next request.
        CountDownLatch noWait = new CountDownLatch(0);
        Thread next = null;
        for (int i = 0; i < 100 && (next == null || next.isVirtual()); i++) {
            Thread.sleep(10);
            next = start(threads, noWait).get(5, TimeUnit.SECONDS);
        }
        assertThat(next.isVirtual()).isFalse();
        assertThat(threads.platformThreads()).isLessThanOrEqualTo(2);
    }
}
