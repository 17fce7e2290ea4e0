package io.llmgw.core.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Timers for what every request arms and nearly always disarms: the upstream deadline, the stream
 * keep-alive, the client connection watch. One daemon thread wakes every {@link #TICK} and runs
 * what is due, so a task runs up to one tick late; arming and disarming only add to and remove from
 * a concurrent set.
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor}: arming a task that becomes the earliest one —
 * every time, when requests come one at a time — wakes its thread, and disarming wakes it again or
 * leaves the task queued; a request paid two or three thread wake-ups on a second thread for timers
 * that never fire (README, Benchmarks). Netty's {@code HashedWheelTimer} works like this one, but
 * would bring Netty's platform probing and leak detection into the Lambda function's cold start;
 * with timeouts in seconds and a few thousand timers at most, a set scanned each tick is enough.
 */
public final class CoarseTimer {
    /** How often due tasks are looked for: the most any of them runs late. */
    public static final Duration TICK = Duration.ofMillis(20);
    private static final CoarseTimer SHARED = new CoarseTimer("gateway-timer", TICK);

    private final Set<Armed> armed = ConcurrentHashMap.newKeySet();
    private final long tickNanos;

    /** A task that has been armed; {@link #cancel()} disarms it. */
    public interface Timeout {
        void cancel();
    }

    private final class Armed implements Timeout {
        private final Runnable task;
        private final long periodNanos;
        private volatile long due;

        Armed(Runnable task, long due, long periodNanos) {
            this.task = task;
            this.due = due;
            this.periodNanos = periodNanos;
        }

        @Override
        public void cancel() {
            armed.remove(this);
        }
    }

    CoarseTimer(String threadName, Duration tick) {
        this.tickNanos = tick.toNanos();
        Thread thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The process's timer. */
    public static CoarseTimer shared() {
        return SHARED;
    }

    /** Runs {@code task} once, {@code delayNanos} from now, unless cancelled first. */
    public Timeout after(long delayNanos, Runnable task) {
        return arm(new Armed(task, System.nanoTime() + delayNanos, 0));
    }

    /** Runs {@code task} every {@code periodNanos}, the first time {@code delayNanos} from now, until cancelled. */
    public Timeout every(long delayNanos, long periodNanos, Runnable task) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodNanos);
        }
        return arm(new Armed(task, System.nanoTime() + delayNanos, periodNanos));
    }

    private Timeout arm(Armed timeout) {
        armed.add(timeout);
        return timeout;
    }

    private void run() {
        while (true) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (Armed timeout : armed) {
                if (now - timeout.due < 0) {
                    continue;
                }
                if (timeout.periodNanos > 0) {
                    timeout.due = now + timeout.periodNanos;
                } else if (!armed.remove(timeout)) {
                    continue;  // cancelled meanwhile
                }
                try {
                    timeout.task.run();
                } catch (RuntimeException | LinkageError e) {
                    // a failing task must not stop every other timer; each task reports its own failures
                }
            }
        }
    }
}
