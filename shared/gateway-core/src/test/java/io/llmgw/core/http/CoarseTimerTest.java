package io.llmgw.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the gateway's timers rely on: once, repeatedly, never after cancel, and one failing task stopping nothing. */
class CoarseTimerTest {
    private static final long MS = 1_000_000;
    private final CoarseTimer timer = new CoarseTimer("test-timer", Duration.ofMillis(5));

    @Test
    void aOneShotTaskRunsOnceNotBeforeItsDelay() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        long armed = System.nanoTime();
        long[] at = new long[1];
        timer.after(50 * MS, () -> {
            at[0] = System.nanoTime();
            runs.incrementAndGet();
            ran.countDown();
        });
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(at[0] - armed).isGreaterThanOrEqualTo(50 * MS);
        Thread.sleep(100);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aPeriodicTaskRepeatsUntilCancelled() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        CoarseTimer.Timeout timeout = timer.every(10 * MS, 10 * MS, () -> {
            runs.incrementAndGet();
            threeRuns.countDown();
        });
        assertThat(threeRuns.await(5, TimeUnit.SECONDS)).isTrue();
        timeout.cancel();
        int afterCancel = runs.get();
        Thread.sleep(100);
        assertThat(runs.get()).isLessThanOrEqualTo(afterCancel + 1);  // a run already under way when cancelled may finish
    }

    @Test
    void aCancelledTaskNeverRunsAndAFailingOneStopsNoOther() throws Exception {
        AtomicInteger cancelledRuns = new AtomicInteger();
        CountDownLatch later = new CountDownLatch(1);
        timer.after(20 * MS, () -> {
            throw new IllegalStateException("a task's own failure");
        });
        timer.after(20 * MS, cancelledRuns::incrementAndGet).cancel();
        timer.after(60 * MS, later::countDown);
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRuns).hasValue(0);
    }

    @Test
    void aPeriodMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> timer.every(0, 0, () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
