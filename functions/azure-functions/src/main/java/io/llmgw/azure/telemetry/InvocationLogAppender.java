package io.llmgw.azure.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * Writes each event as one JSON line (the encoder's) to the logger of the invocation the thread
 * serves, so Application Insights files it under that request's operation id; events outside an
 * invocation (start-up, background refreshes) go to stdout, which the host also collects, without
 * an operation id. Hand-written because nothing maintained bridges Logback to the worker's
 * per-invocation {@code java.util.logging} logger (the Application Insights Java agent can, but only
 * where the platform enables it, which this app does not depend on).
 */
public final class InvocationLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private Encoder<ILoggingEvent> encoder;
    private final PrintStream stdout = System.out;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("No encoder set for the appender named [" + name + "].");
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] line = encoder.encode(event);
        Logger invocation = InvocationLog.logger();
        if (invocation != null) {
            invocation.log(level(event.getLevel()), new String(line, StandardCharsets.UTF_8).stripTrailing());
        } else {
            synchronized (stdout) {
                stdout.write(line, 0, line.length);
                stdout.flush();
            }
        }
    }

    private static java.util.logging.Level level(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> java.util.logging.Level.SEVERE;
            case Level.WARN_INT -> java.util.logging.Level.WARNING;
            case Level.INFO_INT -> java.util.logging.Level.INFO;
            case Level.DEBUG_INT -> java.util.logging.Level.FINE;
            default -> java.util.logging.Level.FINER;
        };
    }
}
