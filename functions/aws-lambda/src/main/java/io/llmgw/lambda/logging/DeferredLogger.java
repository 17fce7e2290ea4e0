package io.llmgw.lambda.logging;

import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.spi.LocationAwareLogger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A logger that becomes Log4j's on first use (see {@link DeferredLog4jProvider}). Until the back
 * end runs, TRACE and DEBUG checks are answered from the configured level; anything that is
 * written, and every check once the back end runs, goes to Log4j's logger of the same name.
 */
final class DeferredLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final transient DeferredLoggers loggers;
    private transient volatile Logger backEnd;

    DeferredLogger(String name, DeferredLoggers loggers) {
        this.name = name;
        this.loggers = loggers;
    }

    @Override
    public boolean isTraceEnabled() {
        Logger logger = running();
        return logger == null ? loggers.configured().trace() : logger.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        Logger logger = running();
        return logger == null ? loggers.configured().debug() : logger.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        Logger logger = running();
        return logger == null || logger.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        Logger logger = running();
        return logger == null || logger.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        Logger logger = running();
        return logger == null || logger.isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return AbstractLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments, Throwable thrown) {
        Logger logger = backEnd();
        if (logger instanceof LocationAwareLogger located) {
            // The caller is the frame after SLF4J's AbstractLogger, which received the call.
            located.log(marker, getFullyQualifiedCallerName(), level.toInt(), message, arguments, thrown);
        } else {
            LoggingEventBuilder event = logger.makeLoggingEventBuilder(level).setCause(thrown);
            (marker == null ? event : event.addMarker(marker)).log(message, arguments);
        }
    }

    /**
     * The fluent API ({@code atInfo().addKeyValue(..).log(..)}) is the back end's own: SLF4J's
     * default builder would fold key-value pairs into the message text instead of the JSON fields
     * Log4j's builder gives them. Called only for an enabled level, so starting the back end here is due.
     */
    @Override
    public LoggingEventBuilder makeLoggingEventBuilder(Level level) {
        return backEnd().makeLoggingEventBuilder(level);
    }

    /** The back end's logger when the back end runs, else null (without starting it). */
    private Logger running() {
        Logger logger = backEnd;
        return logger != null || !loggers.started() ? logger : backEnd();
    }

    private Logger backEnd() {
        Logger logger = backEnd;
        if (logger == null) {
            logger = loggers.backEndLogger(name);
            backEnd = logger;
        }
        return logger;
    }
}
