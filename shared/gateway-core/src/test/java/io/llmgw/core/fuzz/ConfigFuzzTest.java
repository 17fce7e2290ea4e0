package io.llmgw.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.llmgw.core.Gateway;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The configuration loader with any file and any environment: it returns a configuration a
 * gateway can be built from, or stops with a {@link ConfigException} carrying a message, never
 * with another exception; and no message shows a key.
 *
 * <p>{@code anyFileAndEnvironment} takes raw bytes: {@code NAME=VALUE} lines, a NUL byte, then
 * the YAML file (no NUL: all YAML, empty environment). Its seeds are the README's example and a few
 * small configurations. {@code generatedConfiguration} mutates those seeds' YAML trees with
 * {@link JsonMutations}, adds variables, and puts keys (holding {@code SECRET}) only where keys
 * belong: {@code api_key}, {@code auth.keys} and the {@code *_KEY}/{@code *_KEYS} variables. No
 * message may then contain {@code SECRET}.
 */
class ConfigFuzzTest {
    private static final String MARKER = "SECRET";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Path FILE = FuzzFiles.write("config-fuzz", ".yaml", "");
    /** Every variable the loader reads, and two the seeds' files refer to. */
    private static final List<String> VARIABLES = List.of("PROXY_API_KEY", "PROXY_API_KEYS", "PORT", "HOST_PORT", "GATEWAY_PORT",
            "REQUEST_TIMEOUT", "MAX_CONCURRENT_REQUESTS", "HEALTH_CHECK_INTERVAL_MS", "CORS_ALLOWED_ORIGINS",
            "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_MODEL", "AZURE_OPENAI_API_VERSION", "BACKEND_URL",
            "BACKEND_TIMEOUT_SECS", "OPENAI_API_KEY", "OPENAI_BASE_URL", "GEMINI_API_KEY", "ANTHROPIC_API_KEY",
            "ANTHROPIC_BASE_URL", "GATEWAY_MOCK", "AZURE_EAST_KEY", "UPSTREAM_HOST", "GATEWAY_STATE_STORE", "GATEWAY_REDIS_URL",
            "GATEWAY_STATE_TABLE", "GATEWAY_STATE_ENDPOINT", "GATEWAY_JWT_ISSUER", "GATEWAY_JWT_AUDIENCE", "GATEWAY_JWT_JWKS_URL");
    private static final List<Seed> SEEDS = seeds();
    private static final JsonMutations.Vocabulary VOCABULARY = JsonMutations.Vocabulary.of(Stream.concat(
            SEEDS.stream().map(Seed::yaml), Stream.of(YAML.valueToTree(List.of("openai", "azure-openai", "gemini", "anthropic",
                    "mock", "gateway", "client", "hybrid", "native", "chat", "adaptive", "budget", "none", "off", "round_robin",
                    "weighted", "least_latency", "cost", "v1", "2025-04-01-preview", "http://127.0.0.1:11434/v1",
                    "https://r.openai.azure.com/openai/v1", "${UPSTREAM_HOST:-localhost}", "0", "-1", "99999999999999999999",
                    "1500ms", "10m", "1h")))).toList());

    /** A seed file: its variables and its YAML. */
    private record Seed(Map<String, String> env, JsonNode yaml) {}

    @FuzzTest
    // libFuzzer's dictionary syntax: \xNN for a byte (a new line, the NUL between variables and file)
    @DictionaryEntries({"${", ":-", "}", "\\x0a  ", ": ", "[", "{", "99999999999999999999", "-1", "0", "ms", "none", "type: mock",
            "api_key: ", "deployments: [{ provider: ", "=", "\\x00"})
    void anyFileAndEnvironment(byte[] input) throws IOException {
        int nul = indexOfNul(input);
        Map<String, String> env = nul < 0 ? new HashMap<>() : variables(new String(input, 0, nul, StandardCharsets.UTF_8));
        Files.write(FILE, nul < 0 ? input : Arrays.copyOfRange(input, nul + 1, input.length));
        env.put("GATEWAY_CONFIG", FILE.toString());
        load(env);
    }

    @FuzzTest
    void generatedConfiguration(FuzzedDataProvider data) throws IOException {
        Seed seed = data.pickValue(SEEDS);
        JsonNode tree = data.consumeBoolean() ? JsonMutations.apply(seed.yaml(), data, VOCABULARY) : seed.yaml();
        Map<String, String> env = new HashMap<>();
        seed.env().forEach((name, value) -> env.put(name, isKeyVariable(name) ? secret(data) : value));
        for (int n = data.consumeInt(0, 4); n > 0; n--) {
            String name = data.pickValue(VARIABLES);
            env.put(name, isKeyVariable(name) ? secret(data) : harmless(data.consumeString(80)));
        }
        JsonNode file = placeKeys(tree, false, data);
        byte[] yaml;
        try {
            yaml = YAML.writeValueAsBytes(file);
        } catch (IOException unwritable) {
            return;  // e.g. an unpaired surrogate the YAML writer refuses: not an input a file could hold
        }
        Files.write(FILE, yaml);
        if (data.consumeBoolean()) {
            env.put("GATEWAY_CONFIG", FILE.toString());
        }
        String message = load(env);
        if (message != null && message.contains(MARKER)) {
            throw new AssertionError("a key in the message: " + message);
        }
    }

    /** Loads, and builds a gateway from what loaded; returns the ConfigException's message, or null. */
    private static String load(Map<String, String> env) {
        GatewayConfig config;
        try {
            config = ConfigLoader.load(env);
        } catch (ConfigException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a ConfigException without a message", e);
            }
            return e.getMessage();
        }
        new Gateway(config).close();
        return null;
    }

    /**
     * A copy of {@code node} with a key (see {@link #secret}) in each string of an {@code api_key}
     * or {@code keys} field, other than references to key variables, and {@link #harmless} text
     * everywhere else, field names included.
     */
    private static JsonNode placeKeys(JsonNode node, boolean keyField, FuzzedDataProvider data) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            node.fields().forEachRemaining(e -> copy.set(harmless(e.getKey()),
                    placeKeys(e.getValue(), e.getKey().equals("api_key") || e.getKey().equals("keys"), data)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(placeKeys(element, keyField, data)));
            return copy;
        }
        if (node.isTextual()) {
            if (keyField && !node.textValue().matches("\\$\\{[A-Z_]*KEYS?}")) {
                return NODES.textNode(secret(data));
            }
            return NODES.textNode(keyField ? node.textValue() : harmless(node.textValue()));
        }
        return node;
    }

    private static boolean isKeyVariable(String name) {
        return name.endsWith("KEY") || name.endsWith("KEYS");
    }

    /** A key as someone might paste it: marked, perhaps padded, with spaces or line breaks inside. */
    private static String secret(FuzzedDataProvider data) {
        String tail = data.consumeString(48);
        return switch (data.consumeInt(0, 3)) {
            case 0 -> "sk-" + MARKER + "-" + tail;
            case 1 -> " sk-" + MARKER + "-" + tail + "\n";
            case 2 -> "sk-" + MARKER + " " + tail;
            default -> tail + MARKER + "0123456789abcdef0123456789abcdef";
        };
    }

    /** Text that is no key: without the marker, and without references to key variables. */
    private static String harmless(String text) {
        return text.replace(MARKER, "S3CRET").replaceAll("\\$\\{([A-Z_]*KEYS?)", "\\${PLAIN");
    }

    private static int indexOfNul(byte[] input) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> variables(String block) {
        Map<String, String> env = new HashMap<>();
        for (String line : block.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("GATEWAY_CONFIG=")) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    /** The hand-written seeds of {@code anyFileAndEnvironment} ({@code *.seed}), as variables and YAML trees. */
    private static List<Seed> seeds() {
        try (Stream<Path> files = Files.list(Path.of(ConfigFuzzTest.class.getResource("ConfigFuzzTestInputs/anyFileAndEnvironment").toURI()))) {
            List<Seed> seeds = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".seed")).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                int nul = indexOfNul(bytes);
                Map<String, String> env = nul < 0 ? Map.of() : variables(new String(bytes, 0, nul, StandardCharsets.UTF_8));
                JsonNode yaml = YAML.readTree(nul < 0 ? bytes : Arrays.copyOfRange(bytes, nul + 1, bytes.length));
                seeds.add(new Seed(env, yaml == null || yaml.isMissingNode() ? NODES.objectNode() : yaml));
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
