package io.llmgw.lambda.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** Hands out {@link DeferredLogger}s, one per name, and remembers whether the real back end has started. */
final class DeferredLoggers implements ILoggerFactory {
    private final ILoggerFactory backEnd;
    private final ConfiguredLevel configured;
    private final ConcurrentMap<String, DeferredLogger> byName = new ConcurrentHashMap<>();
    private volatile boolean started;

    DeferredLoggers(ILoggerFactory backEnd, ConfiguredLevel configured) {
        this.backEnd = backEnd;
        this.configured = configured;
    }

    @Override
    public Logger getLogger(String name) {
        return byName.computeIfAbsent(name, n -> new DeferredLogger(n, this));
    }

    /** The back end's logger; the first call starts the back end (Log4j's logger context). */
    Logger backEndLogger(String name) {
        Logger logger = backEnd.getLogger(name);
        started = true;
        return logger;
    }

    boolean started() {
        return started;
    }

    ConfiguredLevel configured() {
        return configured;
    }
}
