package io.llmgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requests real clients (Claude Code, Codex CLI, the official SDKs) sent, captured with
 * masked keys; see {@code fixtures/real-clients/README.md}. Replay them with a real key put back.
 */
public final class RealClientFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEY_HEADERS = Set.of("authorization", "x-api-key", "api-key");
    /** Hop-by-hop and computed headers a replaying client sets itself. */
    private static final Set<String> DROPPED = Set.of("host", "connection", "content-length", "accept-encoding");

    /** One captured request; {@code body} is null when the request had none. */
    public record FixtureRequest(String method, String path, Map<String, String> query, Map<String, String> headers, JsonNode body) {
        /** Path plus query string. */
        public String target() {
            if (query.isEmpty()) {
                return path;
            }
            StringBuilder target = new StringBuilder(path).append('?');
            query.forEach((k, v) -> target.append(k).append('=').append(v).append('&'));
            return target.substring(0, target.length() - 1);
        }

        /** The headers to replay, with the masked key replaced by {@code key} in whichever header carried it. */
        public Map<String, String> headersWithKey(String key) {
            Map<String, String> out = new LinkedHashMap<>();
            headers.forEach((name, value) -> {
                if (DROPPED.contains(name)) {
                    return;
                }
                if (KEY_HEADERS.contains(name)) {
                    out.put(name, name.equals("authorization") ? "Bearer " + key : key);
                } else {
                    out.put(name, value);
                }
            });
            return out;
        }
    }

    private RealClientFixtures() {}

    public static List<String> names() {
        try (InputStream in = RealClientFixtures.class.getResourceAsStream("/fixtures/real-clients/index.txt")) {
            if (in != null) {
                return List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim().split("\\s+"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("fixtures/real-clients/index.txt missing");
    }

    public static List<FixtureRequest> load(String name) {
        String resource = "/fixtures/real-clients/" + (name.endsWith(".json") ? name : name + ".json");
        try (InputStream in = RealClientFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            JsonNode root = JSON.readTree(in);
            List<FixtureRequest> requests = new ArrayList<>();
            for (JsonNode r : root.get("requests")) {
                Map<String, String> query = new LinkedHashMap<>();
                r.path("query").fields().forEachRemaining(e -> query.put(e.getKey(), e.getValue().asText()));
                Map<String, String> headers = new LinkedHashMap<>();
                r.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue().asText()));
                JsonNode body = r.get("body");
                requests.add(new FixtureRequest(r.get("method").asText(), r.get("path").asText(), query, headers,
                        body == null || body.isNull() ? null : body));
            }
            return requests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
