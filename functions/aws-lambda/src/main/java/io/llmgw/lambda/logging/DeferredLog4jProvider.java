package io.llmgw.lambda.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The streaming function's SLF4J binding: Log4j's own ({@code log4j-slf4j2-impl}), except that a
 * logger is only a name until something is actually written to it.
 *
 * <p>Why: Log4j's start-up (configuration, plugins, Powertools' JSON template layout) costs about
 * half a second of CPU, and libraries on the first request's path create their loggers in static
 * initialisers — the upstream HTTP client's classes do — so with the stock binding the first
 * upstream call would start Log4j in the middle of a cold start. Those libraries only ask
 * {@code isDebugEnabled()} on that path; this binding answers from the configured level instead and
 * starts Log4j when the first event is really written (the request log line, after the first
 * response is out). SLF4J and Log4j offer no lazy binding, so this one is ours: it only delegates.
 *
 * <p>Selected with the {@code slf4j.provider} system property ({@link #install()}, called first
 * thing by {@code LambdaMain}); it is deliberately not in {@code META-INF/services}, where it would
 * compete with Log4j's provider on every other path (tests, the API Gateway handler).
 */
public final class DeferredLog4jProvider implements SLF4JServiceProvider {
    private final org.apache.logging.slf4j.SLF4JServiceProvider log4j = new org.apache.logging.slf4j.SLF4JServiceProvider();
    private DeferredLoggers loggers;

    /** Makes this the SLF4J binding of the process; a no-op when {@code slf4j.provider} is set already. */
    public static void install() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", DeferredLog4jProvider.class.getName());
            // SLF4J says which provider the property named, at INFO, on stderr: one stray non-JSON line per cold start.
            System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        }
    }

    @Override
    public void initialize() {
        log4j.initialize();  // builds Log4j's factories and MDC adapter; no logger context is started by this
        loggers = new DeferredLoggers(log4j.getLoggerFactory(), ConfiguredLevel.of(System.getenv("POWERTOOLS_LOG_LEVEL")));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return log4j.getMarkerFactory();
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return log4j.getMDCAdapter();
    }

    @Override
    public String getRequestedApiVersion() {
        return log4j.getRequestedApiVersion();
    }
}
