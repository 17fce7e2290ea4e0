package io.llmgw.state.dynamodb;

import io.llmgw.core.state.StateStoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The state table as the store and its buckets use it. One item per key and kind: partition key
 * {@code pk} = the caller's key, sort key {@code sk} = the kind ({@link Kind}). Every item carries
 * its expiry twice: {@code expires_ms} (epoch milliseconds), which every read and condition
 * compares, and {@code expires_at} (epoch seconds, rounded up), the table's TTL attribute. DynamoDB
 * deletes expired items only eventually (typically within two days), so an item past
 * {@code expires_ms} counts as absent everywhere, and since {@code expires_at} is never earlier, TTL
 * never removes an item that still counts.
 */
final class StateTable {
    static final String PARTITION_KEY = "pk";
    static final String SORT_KEY = "sk";
    /** The TTL attribute the templates enable (epoch seconds). */
    static final String EXPIRES_AT = "expires_at";
    static final String EXPIRES_MS = "expires_ms";
    /** Longer keys (in UTF-8) are stored by their hash: DynamoDB allows 2048 bytes, and keys can carry client input (model names). */
    static final int MAX_PLAIN_KEY_BYTES = 1024;
    /** Hashed keys start with it; the callers' namespaced keys never do. */
    static final String HASHED_KEY_PREFIX = "#sha256:";

    /** What an item holds, as its sort key. */
    enum Kind {
        COUNTER("c"), VALUE("v"), BUCKET("b");

        final String sortKey;

        Kind(String sortKey) {
            this.sortKey = sortKey;
        }
    }

    private final DynamoDbClient client;
    private final String name;

    StateTable(DynamoDbClient client, String name) {
        this.client = client;
        this.name = name;
    }

    DynamoDbClient client() {
        return client;
    }

    String name() {
        return name;
    }

    /** This instance's wall clock; instances sharing a table compare expiries with their own. */
    long now() {
        return System.currentTimeMillis();
    }

    Map<String, AttributeValue> key(String key, Kind kind) {
        return Map.of(PARTITION_KEY, AttributeValue.fromS(partitionKey(key)), SORT_KEY, AttributeValue.fromS(kind.sortKey));
    }

    /** A new item at {@code key} expiring at {@code expiresAtMillis}; the caller adds its attributes. */
    Map<String, AttributeValue> newItem(String key, Kind kind, long expiresAtMillis) {
        Map<String, AttributeValue> item = new HashMap<>(key(key, kind));
        item.put(EXPIRES_MS, number(expiresAtMillis));
        item.put(EXPIRES_AT, number(Math.floorDiv(expiresAtMillis, 1000) + (Math.floorMod(expiresAtMillis, 1000) == 0 ? 0 : 1)));
        return item;
    }

    /** The item at {@code key} when it exists and has not expired, else null; a strongly consistent read. */
    Map<String, AttributeValue> getLive(String key, Kind kind) {
        Map<String, AttributeValue> item = call("read", () -> client.getItem(get -> get.tableName(name).key(key(key, kind))
                .consistentRead(true)).item());
        if (item == null || item.isEmpty()) {
            return null;
        }
        AttributeValue expires = item.get(EXPIRES_MS);
        return expires != null && Long.parseLong(expires.n()) > now() ? item : null;
    }

    /** Writes {@code item} unless a live one is at its key (none, or only an expired one not yet deleted). */
    boolean putUnlessLive(Map<String, AttributeValue> item, String operation) {
        return putIf(item, operation, "attribute_not_exists(#expires) OR #expires <= :now",
                Map.of("#expires", EXPIRES_MS), Map.of(":now", number(now())));
    }

    /** Writes {@code item} if {@code condition} holds for the item it replaces; false when it does not. */
    boolean putIf(Map<String, AttributeValue> item, String operation, String condition,
                  Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            call(operation, () -> client.putItem(put -> put.tableName(name).item(item)
                    .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException conditionFailed) {
            return false;
        }
    }

    /** Applies {@code update} if {@code condition} holds: the attributes it set, or null when the condition failed. */
    Map<String, AttributeValue> updateIf(String key, Kind kind, String operation, String update, String condition,
                                         Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            return call(operation, () -> client.updateItem(request -> request.tableName(name).key(key(key, kind))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes());
        } catch (ConditionalCheckFailedException conditionFailed) {
            return null;
        }
    }

    void put(Map<String, AttributeValue> item, String operation) {
        call(operation, () -> client.putItem(put -> put.tableName(name).item(item)));
    }

    void delete(String key, Kind kind) {
        call("delete", () -> client.deleteItem(delete -> delete.tableName(name).key(key(key, kind))));
    }

    /**
     * Runs one request. A failed condition is the caller's to handle; everything else the SDK
     * throws (after its own retries, within the API call timeout) becomes a {@link StateStoreException}.
     */
    <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException conditionFailed) {
            throw conditionFailed;
        } catch (ResourceNotFoundException e) {
            throw new StateStoreException("DynamoDB state table '" + name + "' does not exist" + where() + ": create it (partition key pk "
                    + "and sort key sk, both strings; TTL on expires_at) or deploy template.yaml with CreateStateTable=true "
                    + "(CDK: -c createStateTable=true), and point state.table / GATEWAY_STATE_TABLE at it", e);
        } catch (SdkException e) {
            throw new StateStoreException("DynamoDB state table '" + name + "'" + where() + ": " + operation + " failed: " + e.getMessage(), e);
        }
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** Epoch milliseconds, saturating for instants beyond them. */
    static long epochMillis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException beyond) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    long expiryAfter(Duration ttl) {
        try {
            return Math.addExact(now(), ttl.toMillis());
        } catch (ArithmeticException beyond) {
            return ttl.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static String partitionKey(String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0 && utf8.length <= MAX_PLAIN_KEY_BYTES) {
            return key;
        }
        try {
            return HASHED_KEY_PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private String where() {
        var configuration = client.serviceClientConfiguration();
        return configuration.endpointOverride().map(endpoint -> " at " + endpoint)
                .orElseGet(() -> configuration.region() == null ? "" : " in " + configuration.region());
    }
}
