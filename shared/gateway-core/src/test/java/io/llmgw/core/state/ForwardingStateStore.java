package io.llmgw.core.state;

import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A store passing every operation to another, for tests that make some operations fail, limit
 * or watch them by overriding just those. Its kind is {@code test}, not {@code memory}, so the
 * gateway uses it as it would a shared store (Redis, DynamoDB).
 */
public class ForwardingStateStore implements StateStore {
    private final StateStore inner;

    public ForwardingStateStore(StateStore inner) {
        this.inner = inner;
    }

    @Override
    public ProxyManager<String> buckets() {
        return inner.buckets();
    }

    @Override
    public Reservation reserve(String key, long amount, long limit, Instant expiresAt) {
        return inner.reserve(key, amount, limit, expiresAt);
    }

    @Override
    public long add(String key, long delta, Instant expiresAt) {
        return inner.add(key, delta, expiresAt);
    }

    @Override
    public long get(String key) {
        return inner.get(key);
    }

    @Override
    public Optional<byte[]> getValue(String key) {
        return inner.getValue(key);
    }

    @Override
    public void putValue(String key, byte[] value, Duration ttl) {
        inner.putValue(key, value, ttl);
    }

    @Override
    public void deleteValue(String key) {
        inner.deleteValue(key);
    }

    @Override
    public long maxValueBytes() {
        return inner.maxValueBytes();
    }

    @Override
    public String kind() {
        return "test";
    }
}
