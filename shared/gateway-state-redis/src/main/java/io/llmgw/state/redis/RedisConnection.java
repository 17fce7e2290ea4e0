package io.llmgw.state.redis;

import io.llmgw.core.state.StateStoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.netty.channel.ConnectTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One Lettuce connection (thread-safe, shared by every caller), opened on first use so that a
 * gateway starts while its Redis is down; callers waiting for the same connection attempt share
 * it. Every Lettuce failure leaves here as a {@link StateStoreException} that names the server but
 * never its credentials. With a {@link RedisCredentialsSource} the connection signs in with its
 * tokens and re-authenticates on the live connection whenever a new one arrives.
 */
final class RedisConnection implements AutoCloseable {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    /** Lettuce's message when the handshake's channel closed before it could be awaited. */
    private static final String HANDSHAKE_GONE = "RedisHandshakeHandler not registered";

    private final RedisClient client;
    private final RedisURI uri;
    private final String where;
    private final Duration timeout;
    /** The tokens' source, or null when the URL holds the credentials (if any). */
    private final RenewingCredentials tokens;
    private final String auth;
    private final Object lock = new Object();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private CompletableFuture<StatefulRedisConnection<String, byte[]>> connecting;
    private boolean closed;

    /** @param source the tokens to sign in with, or null for the URL's own credentials */
    RedisConnection(RedisSettings settings, RedisCredentialsSource source) {
        this.where = settings.where();
        this.timeout = settings.timeout();
        this.auth = settings.auth();
        this.tokens = source == null ? null : new RenewingCredentials(source, where);
        RedisURI.Builder uriBuilder = RedisURI.builder(settings.uri()).withTimeout(timeout);
        if (tokens != null) {
            uriBuilder.withAuthentication(tokens);
        }
        this.uri = uriBuilder.build();
        if (tokens != null) {
            tokens.token();  // fetched in the background, ready (or its failure logged) before the first request
        }
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                // Bucket4j waits on asynchronous commands without a deadline of its own
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                // while reconnecting, fail at once (the limits' fail-open or fail-closed choice)
                // instead of queueing every request's commands until the timeout
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // a renewed token is sent with AUTH on the open connection before the old one expires
                .reauthenticateBehavior(tokens == null ? ClientOptions.ReauthenticateBehavior.DEFAULT
                        : ClientOptions.ReauthenticateBehavior.ON_NEW_CREDENTIALS)
                .build());
    }

    /** Runs synchronous commands, translating failures; {@code operation} says what for, in messages. */
    <T> T call(String operation, Function<RedisCommands<String, byte[]>, T> commands) {
        return translating(operation, () -> commands.apply(open().sync()));
    }

    /** Runs {@code action}, turning Lettuce's failures into {@link StateStoreException}s. */
    <T> T translating(String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw translated(operation, e);
        }
    }

    /** Lettuce's failures as {@link StateStoreException}s; anything else (a bug here) as it is. */
    RuntimeException translated(String operation, Throwable failure) {
        if (failure instanceof StateStoreException known) {
            return known;
        }
        if (failure instanceof RedisCommandTimeoutException) {
            return new StateStoreException(where + " did not answer (" + operation + ") within " + timeout.toMillis() + " ms", failure);
        }
        if (failure instanceof RedisException) {
            return new StateStoreException(where + ": " + operation + " failed: " + failure.getMessage(), failure);
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /** The connection, opening it if needed; waits at most the timeout for an attempt in flight. */
    StatefulRedisConnection<String, byte[]> open() {
        StatefulRedisConnection<String, byte[]> open = connection;
        if (open != null) {
            return open;
        }
        CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt;
        synchronized (lock) {
            if (closed) {
                throw new StateStoreException(where + ": the store is closed", null);
            }
            if (connection != null) {
                return connection;
            }
            attempt = connecting;
            if (attempt == null) {
                // With tokens, the token first: a failure to get one is reported as such (inside Lettuce's
                // handshake an immediate failure surfaces as "RedisHandshakeHandler not registered"), and
                // the handshake then finds it ready.
                CompletableFuture<?> ready = tokens == null ? CompletableFuture.completedFuture(null) : tokens.token();
                attempt = ready.thenCompose(token -> connectAsync())
                        .exceptionallyCompose(failure -> reasonLost(failure) ? connectAsync() : CompletableFuture.failedFuture(failure));
                connecting = attempt;
                // may run at once, in this thread (the lock is reentrant)
                attempt.whenComplete(this::attemptEnded);
            }
        }
        try {
            return attempt.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw connectFailed(e.getCause());
        } catch (TimeoutException e) {
            throw connectFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateStoreException(where + ": interrupted while connecting", e);
        }
    }

    private CompletableFuture<StatefulRedisConnection<String, byte[]>> connectAsync() {
        return client.connectAsync(CODEC, uri).toCompletableFuture();
    }

    /**
     * Whether Lettuce lost the reason a connection failed. When the server ends the handshake (a
     * {@code NOAUTH} or {@code WRONGPASS}) before Lettuce's own connect listener has run, the
     * closed channel no longer holds the handshake and Lettuce reports only that it is missing.
     * The race is rare (a busy machine), so one more attempt almost always reports the reason.
     */
    private static boolean reasonLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IllegalStateException && HANDSHAKE_GONE.equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lettuce wraps the reason (refused, no answer to the handshake, {@code WRONGPASS}, TLS) in
     * "Unable to connect"; the message carries the innermost one, or the token source's own
     * message when no token could be had.
     */
    private StateStoreException connectFailed(Throwable failure) {
        Throwable reason = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof RedisCommandTimeoutException
                    || t instanceof ConnectTimeoutException) {
                return new StateStoreException(where + " did not accept a connection within " + timeout.toMillis() + " ms", failure);
            }
            reason = t;
            if (t instanceof StateStoreException) {
                break;
            }
        }
        String message = HANDSHAKE_GONE.equals(reason.getMessage())
                ? "the server ended the connection during the handshake (a password or user it refuses, or TLS where it expects none)"
                : String.valueOf(reason.getMessage());
        if (tokens != null && (message.startsWith("WRONGPASS") || message.startsWith("NOPERM"))) {
            message += " (state.auth " + auth + ": the server does not accept the token's user; give that identity access to the database)";
        }
        return new StateStoreException(where + ": cannot connect: " + message, failure);
    }

    private void attemptEnded(StatefulRedisConnection<String, byte[]> opened, Throwable failure) {
        synchronized (lock) {
            connecting = null;
            if (opened == null) {
                return; // the next caller tries again
            }
            if (closed) {
                opened.closeAsync();
            } else {
                connection = opened;
            }
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, byte[]> open;
        synchronized (lock) {
            closed = true;
            open = connection;
            connection = null;
        }
        if (open != null) {
            open.close();
        }
        if (tokens != null) {
            tokens.close();
        }
        client.shutdown(Duration.ZERO, timeout);
    }
}
