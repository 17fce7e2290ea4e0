package io.llmgw.core.dialect.openai.responses.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.state.ForwardingStateStore;
import io.llmgw.core.state.InMemoryStateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.telemetry.RecordingMetrics;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gateway with two plain gateway keys (alice's and bob's) in front of a fake chat-completions
 * upstream serving {@code gpt-4o}, on a state store the test can take down or shrink, with a clock
 * the test moves and the metrics it reports.
 */
final class StoreHarness implements AutoCloseable {
    static final String ALICE = "alice-gateway-key-0123456789abcdef012345";
    static final String BOB = "bob-gateway-key-0123456789abcdef01234567";

    final FakeUpstream upstream = FakeUpstream.start();
    final MutableClock clock = new MutableClock();
    final Store store;
    final RecordingMetrics metrics = new RecordingMetrics();
    final GatewayConfig config;
    final Gateway gateway;

    /** @param responsesStore the {@code responses_store:} section's body, or empty for the defaults */
    StoreHarness(String responsesStore) {
        this(responsesStore, new Store());
    }

    /** A gateway on {@code store}, which another harness may share (two instances, one store). */
    StoreHarness(String responsesStore, Store store) {
        this.store = store;
        try {
            Path file = Files.createTempFile("stored-responses", ".yaml");
            Files.writeString(file, """
                    auth: { mode: gateway, keys: ["%s", "%s"] }
                    routing: { retries: 0, health_check_interval: off }
                    providers:
                      up: { type: openai, base_url: "%s/v1", api_key: sk-upstream-000000000000000000 }
                    models:
                      gpt-4o: { deployments: [ { provider: up, model: gpt-4o-prod } ] }
                    """.formatted(ALICE, BOB, upstream.baseUrl())
                    + (responsesStore.isEmpty() ? "" : "responses_store: { " + responsesStore + " }\n"));
            config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gateway = new Gateway(config, new Gateway.Options(GatewayEvents.NONE, clock, metrics).withStateStore(store));
    }

    BufferingSink post(String key, String body) {
        return send("POST", "/v1/responses", key, body);
    }

    BufferingSink get(String key, String path) {
        return send("GET", path, key, "");
    }

    BufferingSink delete(String key, String path) {
        return send("DELETE", path, key, "");
    }

    private BufferingSink send(String method, String pathAndQuery, String key, String body) {
        int q = pathAndQuery.indexOf('?');
        BufferingSink sink = new BufferingSink();
        gateway.handle(new GatewayRequest(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), q < 0 ? null : pathAndQuery.substring(q + 1),
                Headers.of("content-type", "application/json", "authorization", "Bearer " + key),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), sink);
        return sink;
    }

    static ObjectNode json(BufferingSink sink) {
        try {
            return (ObjectNode) Json.parse(sink.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The response object of a stream's terminal event. */
    static ObjectNode terminal(BufferingSink sink) {
        try {
            for (String line : sink.bodyText().split("\n")) {
                if (line.startsWith("data: {")) {
                    JsonNode event = Json.parse(line.substring(6).getBytes(StandardCharsets.UTF_8));
                    if (event.path("type").asText().matches("response\\.(completed|incomplete|failed)")) {
                        return (ObjectNode) event.get("response");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no terminal event in:\n" + sink.bodyText());
    }

    @Override
    public void close() {
        gateway.close();
        upstream.close();
    }

    /**
     * The in-memory store, with what a real one can do to a caller: be unreachable (every value
     * operation fails as Redis or DynamoDB would), or take values of a limited size (DynamoDB's items).
     * It remembers the bytes last put under each key, to see what is at rest.
     */
    static final class Store extends ForwardingStateStore {
        final Map<String, byte[]> written = new ConcurrentHashMap<>();
        volatile boolean down;
        volatile long maxValueBytes = Long.MAX_VALUE;

        Store() {
            super(new InMemoryStateStore());
        }

        private void check() {
            if (down) {
                throw new StateStoreException("connection refused", null);
            }
        }

        @Override
        public Optional<byte[]> getValue(String key) {
            check();
            return super.getValue(key);
        }

        @Override
        public void putValue(String key, byte[] value, Duration ttl) {
            check();
            if (value.length > maxValueBytes) {
                throw new AssertionError("a value over the store's maximum was put: " + value.length + " bytes");
            }
            written.put(key, value);
            super.putValue(key, value, ttl);
        }

        @Override
        public void deleteValue(String key) {
            check();
            super.deleteValue(key);
        }

        @Override
        public long maxValueBytes() {
            return maxValueBytes;
        }
    }
}
