package io.llmgw.state.redis;

import io.llmgw.core.state.StateStoreException;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Lettuce's credentials from a {@link RedisCredentialsSource}: the first token is fetched as the
 * store opens (in the background, so that a cold start's first request need not wait for the
 * identity endpoint as well as for Redis), renewed once {@value #RENEW_AFTER} of its lifetime has
 * passed, and every new one is streamed to Lettuce, which sends {@code AUTH} on the live connection
 * (reconnections take the newest token). A failed renewal keeps the current token and is retried
 * until one succeeds; while there is no token at all, connection attempts share the last failure
 * for {@link #FAILURE_HELD} rather than each asking the identity endpoint again.
 *
 * <p>Hand-written rather than Lettuce's {@code TokenBasedRedisCredentialsProvider}: its token
 * manager (redis-authx-core, a beta) fetches when the store is created rather than on first use,
 * and after its last retry fails it ends the credential stream for good, so a passing outage of the
 * identity endpoint would leave the store unusable until a restart.
 */
final class RenewingCredentials implements RedisCredentialsProvider, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RenewingCredentials.class);
    /** Share of a token's lifetime after which the next is fetched: an hour-long token is renewed 15 minutes early. */
    static final double RENEW_AFTER = 0.75;
    /** Longest wait between attempts after a failed renewal (shorter as the token nears its end). */
    static final Duration RETRY = Duration.ofSeconds(10);
    /** How long a failure to get the first token answers connection attempts before another fetch. */
    static final Duration FAILURE_HELD = Duration.ofSeconds(1);
    /** The same failure is logged again after this long. */
    private static final Duration LOG_AGAIN = Duration.ofMinutes(1);
    private static final Duration SHORTEST_WAIT = Duration.ofMillis(100);

    private final RedisCredentialsSource source;
    private final String where;
    private final ScheduledExecutorService renewer;
    private final Sinks.Many<RedisCredentials> renewals = Sinks.many().replay().latest();
    private final Object lock = new Object();
    private RedisCredentialsSource.Token current;
    private CompletableFuture<RedisCredentialsSource.Token> fetching;
    private ScheduledFuture<?> next;
    private Throwable lastFailure;
    private Instant lastFailureAt = Instant.MIN;
    private String lastLogged;
    private Instant lastLoggedAt = Instant.MIN;
    private boolean closed;

    RenewingCredentials(RedisCredentialsSource source, String where) {
        this.source = source;
        this.where = where;
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("redis-" + source.auth() + "-token").factory());
    }

    /**
     * The token for a connection's handshake. Lettuce asks on its event loop, so the fetch runs on
     * the renewer thread; a handshake that stops waiting (its timeout) leaves the fetch running, and
     * the next connection attempt gets its result.
     */
    @Override
    public Mono<RedisCredentials> resolveCredentials() {
        return Mono.fromFuture(this::token, true).map(RenewingCredentials::credentials);
    }

    @Override
    public boolean supportsStreaming() {
        return true;
    }

    /** Each renewed token, once; a connection subscribing later gets the newest at once. */
    @Override
    public Flux<RedisCredentials> credentials() {
        return renewals.asFlux();
    }

    /**
     * The token held while it is valid, otherwise a fetch, shared by everyone who asks meanwhile (or
     * the last failure, within {@link #FAILURE_HELD} of it).
     */
    CompletableFuture<RedisCredentialsSource.Token> token() {
        synchronized (lock) {
            Instant now = Instant.now();
            if (current != null && now.isBefore(current.expiresAt())) {
                return CompletableFuture.completedFuture(current);
            }
            if (lastFailure != null && (fetching == null || fetching.isDone()) && now.isBefore(lastFailureAt.plus(FAILURE_HELD))) {
                return CompletableFuture.failedFuture(lastFailure);
            }
            return fetch();
        }
    }

    private CompletableFuture<RedisCredentialsSource.Token> fetch() {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new StateStoreException(where + ": the store is closed", null));
            }
            CompletableFuture<RedisCredentialsSource.Token> attempt = fetching;
            // a finished attempt whose callback has not run yet counts as none
            if (attempt == null || attempt.isDone()) {
                attempt = new CompletableFuture<>();
                fetching = attempt;
                CompletableFuture<RedisCredentialsSource.Token> result = attempt;
                try {
                    renewer.execute(() -> {
                        try {
                            result.complete(source.fetch());
                        } catch (RuntimeException | Error e) {
                            result.completeExceptionally(e);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    attempt.completeExceptionally(new StateStoreException(where + ": the store is closed", e));
                }
                // may run at once, in this thread (the lock is reentrant)
                attempt.whenComplete((token, failure) -> fetched(result, token, failure));
            }
            return attempt;
        }
    }

    private void fetched(CompletableFuture<RedisCredentialsSource.Token> attempt, RedisCredentialsSource.Token token, Throwable failure) {
        RedisCredentials renewed = null;
        synchronized (lock) {
            if (fetching == attempt) {
                fetching = null;
            }
            if (closed) {
                return;
            }
            if (token != null) {
                RedisCredentialsSource.Token previous = current;
                current = token;
                lastFailure = null;
                Duration wait = max(SHORTEST_WAIT, scaled(Duration.between(Instant.now(), token.expiresAt()), RENEW_AFTER));
                schedule(wait);
                if (previous != null && !previous.secret().equals(token.secret())) {
                    renewed = credentials(token);
                    LOG.info("Redis {}: renewed the {} token of user {}, valid until {}; next renewal in {} s", where, source.auth(),
                            token.user(), token.expiresAt(), wait.toSeconds());
                }
            } else if (current != null) {
                // Renewing: the current token still serves (or the connection has failed and will ask again).
                Duration left = Duration.between(Instant.now(), current.expiresAt());
                Duration wait = left.isNegative() ? RETRY : max(SHORTEST_WAIT, min(RETRY, scaled(left, 0.25)));
                schedule(wait);
                LOG.warn("Redis {}: renewing the {} token failed ({}); the current one is valid until {}; next attempt in {} ms",
                        where, source.auth(), reason(failure), current.expiresAt(), wait.toMillis());
            } else {
                // No token yet: the connection attempts report it, and one after FAILURE_HELD asks again.
                lastFailure = failure;
                lastFailureAt = Instant.now();
                String reason = reason(failure);
                if (!reason.equals(lastLogged) || Instant.now().isAfter(lastLoggedAt.plus(LOG_AGAIN))) {
                    lastLogged = reason;
                    lastLoggedAt = Instant.now();
                    LOG.warn("Redis {}: no {} token: {}", where, source.auth(), reason);
                }
            }
        }
        if (renewed != null) {
            Sinks.EmitResult result = renewals.tryEmitNext(renewed);
            if (result.isFailure()) {
                LOG.warn("Redis {}: a renewed token could not be handed to the connection ({}); it is used from the next reconnection",
                        where, result);
            }
        }
    }

    private void schedule(Duration wait) {
        if (next != null) {
            next.cancel(false);
        }
        next = renewer.schedule(this::fetch, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String reason(Throwable failure) {
        Throwable reason = failure;
        while (reason.getCause() != null && !(reason instanceof StateStoreException)) {
            reason = reason.getCause();
        }
        return reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage();
    }

    private static RedisCredentials credentials(RedisCredentialsSource.Token token) {
        return RedisCredentials.just(token.user(), token.secret());
    }

    private static Duration scaled(Duration duration, double factor) {
        return Duration.ofMillis((long) (duration.toMillis() * factor));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
        renewals.tryEmitComplete();
        renewer.shutdownNow();
    }
}
