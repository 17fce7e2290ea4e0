package io.llmgw.core.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration variables from a {@link SecretSource}, read at start, kept in memory, and re-read
 * on demand at most once a minute, so a storm of bad keys cannot turn into a storm of calls to the
 * store. Values are never logged (names and the version are).
 */
public final class SecretVariables {
    /** Created on first use: on Lambda, logging initialises on another thread during a cold start. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(SecretVariables.class);
    }
    public static final Duration MIN_REFRESH_INTERVAL = Duration.ofMinutes(1);

    private final SecretSource source;
    private final Clock clock;
    private volatile Map<String, String> values = Map.of();
    private Instant lastRead;

    public SecretVariables(SecretSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** The store's name (a secret id, a vault URL), for log lines. */
    public String name() {
        return source.name();
    }

    /** The values read last; empty before {@link #load}. */
    public Map<String, String> values() {
        return values;
    }

    /** Reads the store now; any problem is a {@link SecretException} saying how to fix it. */
    public synchronized Map<String, String> load() {
        SecretSource.Snapshot snapshot = source.read();
        lastRead = clock.instant();
        values = Map.copyOf(snapshot.variables());
        Log.LOG.atInfo().setMessage("secrets loaded").addKeyValue("source", source.name())
                .addKeyValue("version", snapshot.version())
                .addKeyValue("keys", String.join(",", new java.util.TreeSet<>(values.keySet()))).log();
        return values;
    }

    /**
     * Re-reads the store unless it was read less than {@link #MIN_REFRESH_INTERVAL} ago. Returns
     * true when the values changed. A failure keeps the values already loaded (a rotation in
     * progress must not take a working gateway down) and is logged.
     */
    public synchronized boolean refresh() {
        Instant now = clock.instant();
        if (lastRead != null && Duration.between(lastRead, now).compareTo(MIN_REFRESH_INTERVAL) < 0) {
            return false;
        }
        lastRead = now;
        try {
            SecretSource.Snapshot snapshot = source.read();
            Map<String, String> fresh = Map.copyOf(snapshot.variables());
            boolean changed = !fresh.equals(values);
            values = fresh;
            Log.LOG.atInfo().setMessage("secrets refreshed").addKeyValue("source", source.name())
                    .addKeyValue("version", snapshot.version()).addKeyValue("changed", changed).log();
            return changed;
        } catch (SecretException e) {
            Log.LOG.warn("secret refresh failed, keeping the values loaded before: {}", e.getMessage());
            return false;
        }
    }

    /** The environment, with {@code secretValues} laid over it (a secret wins over a variable of the same name). */
    public static Function<String, String> layered(Function<String, String> env, Map<String, String> secretValues) {
        return name -> secretValues.containsKey(name) ? secretValues.get(name) : env.apply(name);
    }
}
