package io.llmgw.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The console appender, asynchronous and batched: a logging thread only queues its event; one
 * writer thread encodes what has queued and writes it to stdout in one write. Logback's
 * {@code AsyncAppender} in front of a {@code ConsoleAppender} woke its worker for every event and
 * wrote every line with a write of its own: at one connection, one thread wake-up and one system
 * call per request on top of the request's own work (README › Benchmarks). Here the writer sleeps
 * while nothing is queued and is woken by the first event only; it then waits {@link #BATCH_MILLIS}
 * for more before writing, so at any rate the lines of that window cost one wake-up and one write.
 *
 * <p>Nothing is dropped: when the queue is full a logging thread waits for room, as with
 * {@code AsyncAppender}'s {@code neverBlock=false}; a queue a quarter full wakes the writer early.
 * Stopping writes everything still queued. Nothing in logback does this (its {@code AsyncAppender}
 * takes events one at a time and knows nothing of the writes behind it), hence this class.
 */
public class BatchingConsoleAppender extends ConsoleAppender<ILoggingEvent> {
    /** How long the writer collects lines after the first one: a line reaches stdout at most this much later. */
    static final long BATCH_MILLIS = 10;
    private static final int QUEUE_EVENTS = 8192;
    private static final int WAKE_EARLY_AT = QUEUE_EVENTS / 4;

    private final BlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(QUEUE_EVENTS);
    private volatile Thread writer;
    private volatile boolean writerIdle;
    private volatile boolean stopping;

    @Override
    public void start() {
        super.start();
        if (!isStarted()) {
            return;
        }
        stopping = false;
        Thread thread = new Thread(this::writeLoop, "log-writer");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!isStarted()) {
            return;
        }
        event.prepareForDeferredProcessing();  // the MDC and the formatted message, taken on the logging thread
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(event);
                break;
            } catch (InterruptedException e) {
                interrupted = true;  // the line is still written; the interrupt is the caller's, given back below
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (writerIdle || queue.size() >= WAKE_EARLY_AT) {
            LockSupport.unpark(writer);
        }
    }

    @Override
    public void stop() {
        Thread thread = writer;
        if (thread != null) {
            stopping = true;
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer = null;
        }
        writeQueued(new ArrayList<>());  // whatever a stuck or interrupted writer left
        super.stop();
    }

    private void writeLoop() {
        List<ILoggingEvent> batch = new ArrayList<>();
        while (!stopping) {
            if (queue.isEmpty()) {
                writerIdle = true;
                if (queue.isEmpty() && !stopping) {  // an event queued before the flag was set would otherwise wait here
                    LockSupport.park(this);
                }
                writerIdle = false;
                if (stopping) {
                    break;
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS));
            }
            writeQueued(batch);
        }
        writeQueued(batch);
    }

    /** Encodes everything queued and writes it to the console in one write. */
    private void writeQueued(List<ILoggingEvent> batch) {
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream(batch.size() * 1024);
        for (ILoggingEvent event : batch) {
            try {
                lines.writeBytes(getEncoder().encode(event));
            } catch (RuntimeException e) {
                addError("could not encode a log event", e);
            }
        }
        batch.clear();
        try {
            writeByteArrayToOutputStreamWithPossibleFlush(lines.toByteArray());
        } catch (IOException e) {
            addError("could not write log lines to the console", e);
        }
    }
}
