package io.llmgw.core.dialect.openai.responses.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.ResponsesStoreConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.state.RecordCodec;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.telemetry.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored Responses in the state store (memory, Redis or DynamoDB — whichever limits use), one value
 * per response under {@code responses:<owner hash>:<id>}: the owner is part of the key, so another
 * caller's lookup finds nothing at all, and the owner's name (a virtual key's, a token subject) is not
 * in the store. Each record carries its expiry and is read only before it, whatever the store's own
 * TTL deletes later.
 *
 * <p>A record over the size bound ({@code responses_store.max_bytes} as JSON, or the store's own
 * item limit after compression and sealing) is not stored: a small marker takes its place so that
 * continuing from it says why it cannot be, {@code gateway_responses_not_stored_total{reason}} counts
 * it, and a warning is logged. Storing never fails a response; reading from a store that cannot be
 * reached is a retryable 503.
 */
public final class ResponseStore {
    /** Created on first use, not when the gateway is built (cold start). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ResponseStore.class);
    }

    private static final String PREFIX = "responses:";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    /** What a lookup found. */
    public sealed interface Lookup {}

    /** @param jsonBytes the record's size as JSON, for bounding a conversation continued from it */
    public record Found(StoredResponse response, long jsonBytes) implements Lookup {}

    /** Nothing for this owner and id: never stored, another owner's, deleted or expired. */
    public record Missing() implements Lookup {}

    /** The response existed but was too large to keep; {@code jsonBytes} is its size as JSON. */
    public record TooLarge(long jsonBytes) implements Lookup {}

    /** What became of a response given to {@link #save}. */
    public enum Saved { STORED, TOO_LARGE, FAILED }

    private final ResponsesStoreConfig config;
    private final StateStore store;
    private final RecordCodec codec;
    private final Metrics metrics;
    private final Clock clock;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    public ResponseStore(ResponsesStoreConfig config, StateStore store, Metrics metrics, Clock clock) {
        this.config = config;
        this.store = store;
        this.codec = new RecordCodec(config.encryptionKey(), config.maxBytes());
        this.metrics = metrics;
        this.clock = clock;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The largest record, and so the largest conversation, in bytes of JSON. */
    public long maxBytes() {
        return config.maxBytes();
    }

    /** What the store holds for {@code owner} under {@code id}; a 503 {@code GatewayException} when it cannot be reached. */
    public Lookup find(String owner, String id) {
        if (!config.enabled() || owner == null || id == null || !ID.matcher(id).matches()) {
            return new Missing();
        }
        String key = key(owner, id);
        Optional<byte[]> stored;
        try {
            stored = store.getValue(key);
        } catch (RuntimeException e) {
            throw unavailable(e, "read");
        }
        if (stored.isEmpty()) {
            return new Missing();
        }
        JsonNode json;
        byte[] bytes;
        try {
            bytes = codec.decode(stored.get(), key);
            json = Json.parse(bytes);
        } catch (RecordCodec.Unreadable | IOException e) {
            warn("stored response " + id + " cannot be read (" + e.getMessage() + "); answering as if it did not exist");
            return new Missing();
        }
        if (json.path("expires_at").asLong() <= clock.instant().getEpochSecond()) {
            return new Missing();
        }
        if (json.has("not_stored")) {
            return new TooLarge(json.path("bytes").asLong());
        }
        StoredResponse response = StoredResponse.fromJson(json);
        if (response == null || !response.id().equals(id)) {
            warn("stored response " + id + " is not a record this gateway reads; answering as if it did not exist");
            return new Missing();
        }
        return new Found(response, bytes.length);
    }

    /** Keeps {@code response} for the configured TTL; never throws (a response is answered whether or not it could be kept). */
    public Saved save(String owner, StoredResponse response) {
        String key = key(owner, response.id());
        long expiresAt = clock.instant().plus(config.ttl()).getEpochSecond();
        byte[] json = Json.bytes(response.toJson(expiresAt));
        if (json.length > config.maxBytes()) {
            return tooLarge(key, response.id(), json.length, json.length + " bytes of JSON, over responses_store.max_bytes ("
                    + config.maxBytes() + ")");
        }
        byte[] sealed = codec.encode(json, key);
        if (sealed.length > store.maxValueBytes()) {
            return tooLarge(key, response.id(), json.length, sealed.length + " bytes compressed, over the " + store.kind()
                    + " store's maximum of " + store.maxValueBytes());
        }
        try {
            store.putValue(key, sealed, config.ttl());
            return Saved.STORED;
        } catch (RuntimeException e) {
            metrics.stateStoreFailure("responses_store");
            metrics.responseNotStored("store_failed");
            warn("response " + response.id() + " not stored: the " + store.kind() + " store failed (" + e.getClass().getSimpleName() + ")");
            return Saved.FAILED;
        }
    }

    /** Removes {@code owner}'s response {@code id}; false when there was none to remove. */
    public boolean delete(String owner, String id) {
        if (!(find(owner, id) instanceof Found)) {
            return false;
        }
        try {
            store.deleteValue(key(owner, id));
        } catch (RuntimeException e) {
            throw unavailable(e, "delete");
        }
        return true;
    }

    private Saved tooLarge(String key, String id, long jsonBytes, String why) {
        metrics.responseNotStored("too_large");
        warn("response " + id + " not stored: " + why + "; continuing from it will be refused with that reason");
        long expiresAt = clock.instant().plus(config.ttl()).getEpochSecond();
        byte[] marker = Json.bytes(Json.object().put("v", StoredResponse.VERSION).put("not_stored", "too_large")
                .put("bytes", jsonBytes).put("expires_at", expiresAt));
        try {
            store.putValue(key, codec.encode(marker, key), config.ttl());
        } catch (RuntimeException e) {
            metrics.stateStoreFailure("responses_store");  // then continuing says only "not found"
        }
        return Saved.TOO_LARGE;
    }

    private RuntimeException unavailable(RuntimeException cause, String operation) {
        metrics.stateStoreFailure("responses_store");
        warn("the " + store.kind() + " store failed to " + operation + " a stored response (" + cause.getClass().getSimpleName() + ")");
        return new GatewayError(ErrorKind.OVERLOADED, 503, "The gateway cannot reach its store of responses right now; retry shortly.",
                "responses_store_unavailable", null, Duration.ofSeconds(2), null).exception();
    }

    /** At most one warning every ten seconds, so an outage or a flood of oversized responses does not flood the log. */
    private void warn(String message) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            Log.LOG.warn(message);
        }
    }

    /** The owner as a hash: unique per owner, and neither a key's hash nor a caller's name in clear in the store. */
    static String key(String owner, String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("responses-owner:" + owner).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 16) + ":" + id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
