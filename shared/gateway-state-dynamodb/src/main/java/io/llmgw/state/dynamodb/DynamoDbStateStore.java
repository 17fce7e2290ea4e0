package io.llmgw.state.dynamodb;

import static io.llmgw.state.dynamodb.StateTable.EXPIRES_MS;
import static io.llmgw.state.dynamodb.StateTable.number;

import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.state.dynamodb.StateTable.Kind;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The state store on a DynamoDB table, shared by every Lambda execution environment and container
 * that names the same table. Counters are one conditional update when the counter is live (the
 * limit check and the addition are one atomic write); a counter that is absent or expired is
 * started by a conditional put, and a lost race to start it goes round again. Values are items
 * with a binary attribute; buckets are Bucket4j's compare-and-swap ({@link DynamoDbBuckets}).
 * Each request is bounded by the client's API call timeout. Open it with {@link DynamoDbStateStoreFactory}.
 */
public final class DynamoDbStateStore implements StateStore {
    private static final String TOTAL = "total";
    private static final String DATA = "data";
    /**
     * DynamoDB refuses items over 400 KB, counting attribute names, the keys (up to 1 KB here) and the
     * expiry attributes; 350 KB of value leaves room for all of them.
     */
    static final long MAX_VALUE_BYTES = 350L * 1024;
    private static final Map<String, String> COUNTER_NAMES = Map.of("#total", TOTAL, "#expires", EXPIRES_MS);
    /**
     * Each round means another client changed the counter in between, so the store as a whole made
     * progress; a bound keeps one request from spinning behind a flood of writers to one key.
     */
    private static final int MAX_ROUNDS = 50;

    private final StateTable table;
    private final DynamoDbBuckets buckets;

    /** A store on {@code tableName} through {@code client}, which it closes when closed. */
    DynamoDbStateStore(DynamoDbClient client, String tableName) {
        this.table = new StateTable(client, tableName);
        this.buckets = new DynamoDbBuckets(table);
    }

    /**
     * Builds the client from the options: the JDK's URL connection (no Netty or Apache client), the
     * default credential chain (the function's or task's role), and {@code timeout} as the API call
     * timeout, retries included, so a store that hangs costs a request at most that. Nothing is
     * sent yet: credentials and the table are first used by the first operation.
     */
    static DynamoDbStateStore open(DynamoDbSettings settings) {
        Duration timeout = settings.timeout();
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(override -> override.apiCallTimeout(timeout))
                .region(settings.region().map(Region::of).orElseGet(DynamoDbStateStore::regionFromEnvironment));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new DynamoDbStateStore(builder.build(), settings.table());
    }

    private static Region regionFromEnvironment() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new ConfigException("state.region: no AWS region for the DynamoDB store (AWS_REGION is not set and no profile "
                    + "or instance metadata names one); set state.region or AWS_REGION", e);
        }
    }

    @Override
    public ProxyManager<String> buckets() {
        return buckets;
    }

    @Override
    public Reservation reserve(String key, long amount, long limit, Instant expiresAt) {
        // total + amount <= limit, written as total <= limit - amount: conditions cannot add
        String ceiling = BigInteger.valueOf(limit).subtract(BigInteger.valueOf(amount)).toString();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Map<String, AttributeValue> added = table.updateIf(key, Kind.COUNTER, "reserve", "SET #total = #total + :amount",
                    "#expires > :now AND #total <= :ceiling", COUNTER_NAMES,
                    Map.of(":amount", number(amount), ":now", number(table.now()), ":ceiling", AttributeValue.fromN(ceiling)));
            if (added != null) {
                return new Reservation(true, total(added));
            }
            // refused: the counter is full, or absent or expired; read which
            Map<String, AttributeValue> live = table.getLive(key, Kind.COUNTER);
            if (live != null) {
                long total = total(live);
                if (BigInteger.valueOf(total).add(BigInteger.valueOf(amount)).compareTo(BigInteger.valueOf(limit)) > 0) {
                    return new Reservation(false, total);
                }
                continue; // given back in between
            }
            if (amount > limit) {
                return new Reservation(false, 0);
            }
            if (start(key, amount, expiresAt)) {
                return new Reservation(true, amount);
            }
        }
        throw contended();
    }

    @Override
    public long add(String key, long delta, Instant expiresAt) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Map<String, AttributeValue> added = table.updateIf(key, Kind.COUNTER, "add", "SET #total = #total + :delta",
                    "#expires > :now", COUNTER_NAMES, Map.of(":delta", number(delta), ":now", number(table.now())));
            if (added != null) {
                return total(added);
            }
            if (start(key, delta, expiresAt)) {
                return delta;
            }
        }
        throw contended();
    }

    @Override
    public long get(String key) {
        Map<String, AttributeValue> live = table.getLive(key, Kind.COUNTER);
        return live == null ? 0 : total(live);
    }

    @Override
    public Optional<byte[]> getValue(String key) {
        Map<String, AttributeValue> live = table.getLive(key, Kind.VALUE);
        return live == null ? Optional.empty() : Optional.of(live.get(DATA).b().asByteArray());
    }

    @Override
    public void putValue(String key, byte[] value, Duration ttl) {
        Map<String, AttributeValue> item = table.newItem(key, Kind.VALUE, table.expiryAfter(ttl));
        item.put(DATA, AttributeValue.fromB(SdkBytes.fromByteArray(value)));
        table.put(item, "put a value");
    }

    @Override
    public long maxValueBytes() {
        return MAX_VALUE_BYTES;
    }

    @Override
    public void deleteValue(String key) {
        table.delete(key, Kind.VALUE);
    }

    @Override
    public String kind() {
        return "dynamodb";
    }

    @Override
    public void close() {
        table.client().close();
    }

    /** Starts the counter at {@code amount} unless a live one exists (someone else started it first). */
    private boolean start(String key, long amount, Instant expiresAt) {
        Map<String, AttributeValue> item = table.newItem(key, Kind.COUNTER, StateTable.epochMillis(expiresAt));
        item.put(TOTAL, number(amount));
        return table.putUnlessLive(item, "start a counter");
    }

    private static long total(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get(TOTAL).n());
    }

    private StateStoreException contended() {
        return new StateStoreException("DynamoDB state table '" + table.name() + "': a counter changed under each of "
                + MAX_ROUNDS + " attempts to update it", null);
    }
}
