package io.llmgw.state.redis;

import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state store on a Redis or Valkey server, shared by every gateway instance that names it:
 * counters are checked and added by Lua scripts (atomic on the server), buckets are Bucket4j's
 * compare-and-swap buckets, values are plain strings with a time to live. Keys are
 * {@code <prefix>c:<key>} (counters), {@code <prefix>b:<key>} (buckets) and {@code <prefix>v:<key>}
 * (values), so the three kinds never collide, as they do not in memory; everything written
 * expires. The server is reached on first use, not when the store opens.
 */
public final class RedisStateStore implements StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStateStore.class);

    private final RedisConnection connection;
    private final RedisBuckets buckets;
    private final String counters;
    private final String values;

    public RedisStateStore(RedisSettings settings) {
        this(settings, null);
    }

    /** @param tokens what to sign in with, or null for the URL's own credentials (if any) */
    public RedisStateStore(RedisSettings settings, RedisCredentialsSource tokens) {
        this.connection = new RedisConnection(settings, tokens);
        this.buckets = new RedisBuckets(connection, settings.prefix() + "b:");
        this.counters = settings.prefix() + "c:";
        this.values = settings.prefix() + "v:";
        LOG.info("state store: redis at {}, keys under '{}', {} ms timeout, signing in with {}", settings.where(), settings.prefix(),
                settings.timeout().toMillis(), tokens == null ? "the URL's credentials, if any" : tokens.auth() + " tokens");
    }

    @Override
    public ProxyManager<String> buckets() {
        return buckets;
    }

    @Override
    public Reservation reserve(String key, long amount, long limit, Instant expiresAt) {
        List<Long> outcome = connection.call("a reservation",
                redis -> CounterScripts.reserve(redis, counters + key, amount, limit, expiresAt.toEpochMilli()));
        return new Reservation(outcome.get(0) == 1, outcome.get(1));
    }

    @Override
    public long add(String key, long delta, Instant expiresAt) {
        return connection.call("adding to a counter", redis -> CounterScripts.add(redis, counters + key, delta, expiresAt.toEpochMilli()));
    }

    @Override
    public long get(String key) {
        byte[] total = connection.call("reading a counter", redis -> redis.get(counters + key));
        if (total == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(total, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new StateStoreException("the counter " + counters + key + " holds something other than a number; "
                    + "is another program writing under the same prefix?", e);
        }
    }

    @Override
    public Optional<byte[]> getValue(String key) {
        return Optional.ofNullable(connection.call("reading a value", redis -> redis.get(values + key)));
    }

    @Override
    public void putValue(String key, byte[] value, Duration ttl) {
        long millis = ttl.toMillis();
        if (millis < 1) {
            // Redis refuses PX 0; a value that expires now is a value gone
            deleteValue(key);
            return;
        }
        connection.call("writing a value", redis -> redis.set(values + key, value, SetArgs.Builder.px(millis)));
    }

    @Override
    public void deleteValue(String key) {
        connection.call("deleting a value", redis -> redis.del(values + key));
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        connection.close();
    }
}
