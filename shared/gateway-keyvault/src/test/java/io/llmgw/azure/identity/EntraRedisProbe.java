package io.llmgw.azure.identity;

import io.github.bucket4j.BucketConfiguration;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.core.state.StateStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The gateway's state store in a process of its own whose environment is an Azure app's
 * ({@code IDENTITY_ENDPOINT}, {@code IDENTITY_HEADER}, {@code AZURE_CLIENT_ID},
 * {@code GATEWAY_REDIS_URL}, {@code GATEWAY_REDIS_AUTH}): the identity library reads the managed
 * identity's endpoint from the real environment only, so a test cannot point it at a fake inside its
 * own JVM. Opens the store from the configuration as the gateway does, then runs one operation per
 * line read (e.g. {@code add k 2}), answering each with a line {@value #ANSWER}{@code ok <result>} or
 * {@code failed <message>}.
 */
public final class EntraRedisProbe {
    static final String ANSWER = "probe> ";
    private static final BucketConfiguration PER_MINUTE = BucketConfiguration.builder()
            .addLimit(limit -> limit.capacity(1_000).refillGreedy(1_000, Duration.ofMinutes(1)))
            .build();

    private EntraRedisProbe() {}

    public static void main(String[] args) throws IOException {
        StateStore store;
        try {
            GatewayConfig config = ConfigLoader.load(System.getenv()::get);
            store = StateStores.open(config.access().state());
        } catch (ConfigException e) {
            answer("config " + e.getMessage());
            return;
        }
        try (store) {
            answer("ok open " + store.kind());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                try {
                    answer("ok " + run(store, line.split(" ")));
                } catch (StateStoreException e) {
                    answer("failed " + e.getMessage().replace('\n', ' '));
                }
            }
        }
    }

    private static String run(StateStore store, String[] words) {
        Instant later = Instant.now().plusSeconds(600);
        return switch (words[0]) {
            case "add" -> Long.toString(store.add(words[1], Long.parseLong(words[2]), later));
            case "get" -> Long.toString(store.get(words[1]));
            case "put" -> {
                store.putValue(words[1], words[2].getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(10));
                yield "stored";
            }
            case "value" -> store.getValue(words[1]).map(v -> new String(v, StandardCharsets.UTF_8)).orElse("(none)");
            case "reserve" -> {
                StateStore.Reservation r = store.reserve(words[1], Long.parseLong(words[2]), Long.parseLong(words[3]), later);
                yield (r.granted() ? "granted " : "refused ") + r.total();
            }
            case "take" -> Boolean.toString(store.buckets().builder().build(words[1], () -> PER_MINUTE).tryConsume(1));
            default -> throw new IllegalArgumentException("unknown operation " + words[0]);
        };
    }

    private static void answer(String line) {
        System.out.println(ANSWER + line);
        System.out.flush();
    }
}
