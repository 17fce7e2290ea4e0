package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every line written, in order, in few writes; nothing lost when the queue fills or the appender stops. */
class BatchingConsoleAppenderTest {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final AtomicInteger writes = new AtomicInteger();
    /** While set, a write waits for it: the appends a test makes meanwhile queue up however slowly they run. */
    private volatile CountDownLatch writesHeld;
    private final LoggerContext context = new LoggerContext();

    private BatchingConsoleAppender started() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        BatchingConsoleAppender appender = new BatchingConsoleAppender();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        // its own stream, not System.out, where the rest of the test JVM's logging goes too
        appender.setOutputStream(new OutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
                writes.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                CountDownLatch held = writesHeld;
                if (held != null) {
                    try {
                        held.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                written.write(b, off, len);
                writes.incrementAndGet();
            }
        });
        return appender;
    }

    private ILoggingEvent event(String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("test");
        event.setLevel(Level.INFO);
        event.setThreadName(Thread.currentThread().getName());
        event.setMessage(message);
        event.setTimeStamp(System.currentTimeMillis());
        event.setMDCPropertyMap(Map.of());
        return event;
    }

    private List<String> lines() {
        return written.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void linesLoggedTogetherAreWrittenTogether() throws Exception {
        BatchingConsoleAppender appender = started();
        List<String> expected = new ArrayList<>();
        // the first write waits until all are queued: on a busy machine the appends may take longer than a batch's
        // window, and how many writes they then span would say more about the machine than about the appender
        writesHeld = new CountDownLatch(1);
        for (int i = 0; i < 200; i++) {
            appender.doAppend(event("line " + i));
            expected.add("line " + i);
        }
        writesHeld.countDown();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lines().size() < 200 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(lines()).containsExactlyElementsOf(expected);
        // the first batch (what came within its window), then all the rest together; one write a line would be 200
        assertThat(writes.get()).as("writes for 200 lines logged at once").isLessThanOrEqualTo(2);
        appender.stop();
    }

    @Test
    void aLineAfterAQuietSpellIsWrittenWithoutAnotherEvent() throws Exception {
        BatchingConsoleAppender appender = started();
        Thread.sleep(100);  // the writer has gone to sleep with nothing queued
        appender.doAppend(event("alone"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lines().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(lines()).containsExactly("alone");
        appender.stop();
    }

    @Test
    void nothingIsLostWhenTheQueueFillsOrTheAppenderStops() throws Exception {
        BatchingConsoleAppender appender = started();
        int threads = 4;
        int each = 10_000;  // 40,000 events against a queue of 8,192: loggers wait for room
        List<Thread> loggers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            loggers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    appender.doAppend(event(id + ":" + i));
                }
            }));
        }
        for (Thread logger : loggers) {
            logger.join();
        }
        appender.stop();  // right away: what is still queued is written by stop
        List<String> lines = lines();
        assertThat(lines).hasSize(threads * each);
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            assertThat(lines.stream().filter(l -> l.startsWith(prefix)).map(l -> Integer.parseInt(l.substring(prefix.length()))).toList())
                    .as("thread %d's lines, in its order", t).isSorted().hasSize(each);
        }
    }
}
