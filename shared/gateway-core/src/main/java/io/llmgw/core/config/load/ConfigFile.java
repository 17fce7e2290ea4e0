package io.llmgw.core.config.load;

import io.llmgw.core.config.ConfigValues;


import io.llmgw.core.config.ConfigException;


import io.llmgw.core.config.GatewayConfig;

import io.llmgw.core.config.ProviderBlock;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmgw.core.config.load.ConfigDraft.DeploymentDraft;
import io.llmgw.core.config.load.ConfigDraft.ModelDraft;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the YAML configuration file into a {@link ConfigDraft}, replacing {@code ${NAME}} references. */
final class ConfigFile {
    /** Duplicate keys are an error: silently keeping the last one hides mistakes (a second api_key, a model twice). */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private static final Set<String> TOP = Set.of("server", "auth", "cors", "admin", "upstream", "routing", "providers", "models",
            "teams", "limits", "state", "prices", "cache", "responses_store");
    private static final Set<String> SERVER = Set.of("port");
    private static final Set<String> AUTH = Set.of("mode", "keys", "header", "virtual_keys", "jwt");
    private static final Set<String> CORS = Set.of("allowed_origins");
    private static final Set<String> ADMIN = Set.of("config_endpoint", "public_metrics");
    private static final Set<String> UPSTREAM = Set.of("timeout", "connect_timeout", "keep_alive");
    private static final Set<String> MODEL = Set.of("deployments", "strategy", "condense");
    private static final Set<String> DEPLOYMENT = Set.of("provider", "model", "max_output_tokens", "reasoning", "weight",
            "context_window", "cost", "thinking");

    private ConfigFile() {}

    static void read(Path file, Function<String, String> variables, ConfigDraft draft) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            // Not e.getMessage(): Jackson and SnakeYAML quote the file there, and it may hold keys.
            JsonLocation at = e.getLocation();
            String problem = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            Matcher duplicate = DUPLICATE.matcher(problem);
            if (duplicate.find()) {
                throw new ConfigException("GATEWAY_CONFIG: '" + file + "': the key '" + duplicate.group(1) + "' appears twice in "
                        + "the same mapping" + (at == null ? "" : " (the second at line " + at.getLineNr() + ")")
                        + "; keep one of them");
            }
            throw new ConfigException("GATEWAY_CONFIG: '" + file + "' is not valid YAML (" + problem
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + "); fix the file or unset GATEWAY_CONFIG");
        } catch (IOException e) {
            throw new ConfigException("GATEWAY_CONFIG: cannot read '" + file + "' (" + e.getMessage()
                    + "); point GATEWAY_CONFIG at a readable YAML file or unset it");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw new ConfigException("GATEWAY_CONFIG: '" + file + "' must hold a YAML mapping at the top level");
        }
        interpolate((ObjectNode) root, "", variables);
        bind(root, draft);
    }

    /** Replaces {@code ${NAME}} and {@code ${NAME:-default}} in every string value. */
    private static void interpolate(JsonNode node, String path, Function<String, String> variables) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            fields.forEachRemaining(entries::add);
            for (Map.Entry<String, JsonNode> entry : entries) {
                String childPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                JsonNode value = entry.getValue();
                if (value.isTextual()) {
                    object.set(entry.getKey(), new TextNode(substitute(value.textValue(), childPath, variables)));
                } else {
                    interpolate(value, childPath, variables);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode value = node.get(i);
                String childPath = path + "[" + i + "]";
                if (value.isTextual()) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) node)
                            .set(i, new TextNode(substitute(value.textValue(), childPath, variables)));
                } else {
                    interpolate(value, childPath, variables);
                }
            }
        }
    }

    private static String substitute(String text, String path, Function<String, String> variables) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.apply(m.group(1));
            if (value == null || value.isEmpty() && m.group(2) != null) {
                value = m.group(2); // as in the shell and Compose, ${NAME:-default} also replaces an empty NAME
            }
            if (value == null) {
                throw new ConfigException(path + ": refers to ${" + m.group(1) + "}, which is not set; set the environment "
                        + "variable " + m.group(1) + " (or give a default: ${" + m.group(1) + ":-value})");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void bind(JsonNode root, ConfigDraft draft) {
        checkKeys(root, "", TOP);
        JsonNode server = section(root, "server", SERVER);
        if (server.has("port")) {
            draft.port = ConfigValues.positiveInt(server.get("port").asText(), "server.port", 65535);
        }
        JsonNode auth = section(root, "auth", AUTH);
        if (auth.has("mode")) {
            draft.mode = auth.get("mode").asText();
        }
        if (auth.has("keys")) {
            draft.keys = new ArrayList<>(strings(auth.get("keys"), "auth.keys"));
        }
        if (auth.has("header")) {
            draft.authHeaders = strings(auth.get("header"), "auth.header");
        }
        draft.virtualKeys = AccessSection.virtualKeys(auth.get("virtual_keys"));
        draft.jwt = JwtSection.read(auth.get("jwt"));
        JsonNode cors = section(root, "cors", CORS);
        if (cors.has("allowed_origins")) {
            draft.corsOrigins = new ArrayList<>(strings(cors.get("allowed_origins"), "cors.allowed_origins"));
        }
        JsonNode admin = section(root, "admin", ADMIN);
        if (admin.has("config_endpoint")) {
            draft.configEndpoint = bool(admin.get("config_endpoint"), "admin.config_endpoint");
        }
        if (admin.has("public_metrics")) {
            draft.publicMetrics = bool(admin.get("public_metrics"), "admin.public_metrics");
        }
        JsonNode upstream = section(root, "upstream", UPSTREAM);
        if (upstream.has("timeout")) {
            draft.timeout = ConfigValues.duration(upstream.get("timeout").asText(), "upstream.timeout", "s");
        }
        if (upstream.has("connect_timeout")) {
            draft.connectTimeout = ConfigValues.duration(upstream.get("connect_timeout").asText(), "upstream.connect_timeout", "s");
        }
        if (upstream.has("keep_alive")) {
            draft.keepAlive = ConfigValues.duration(upstream.get("keep_alive").asText(), "upstream.keep_alive", "s");
        }
        draft.routing = RoutingSection.read(section(root, "routing", null), draft.routing);
        draft.teams = AccessSection.teams(root.get("teams"));
        JsonNode limits = section(root, "limits", AccessSection.LIMITS_SECTION);
        draft.globalLimits = AccessSection.limits(limits.get("global"), "limits.global");
        draft.perClientIpLimits = AccessSection.limits(limits.get("per_client_ip"), "limits.per_client_ip");
        draft.perModelLimits = AccessSection.perModel(limits.get("per_model"));
        if (limits.has("trusted_proxies")) {
            draft.trustedProxies = strings(limits.get("trusted_proxies"), "limits.trusted_proxies");
        }
        if (limits.has("fail_closed")) {
            draft.failClosed = bool(limits.get("fail_closed"), "limits.fail_closed");
        }
        draft.state = AccessSection.state(root.get("state"));
        draft.prices = AccessSection.prices(root.get("prices"));
        draft.cache = CacheSection.withKeys(CacheSection.read(root.get("cache")), auth.get("virtual_keys"));
        draft.responsesStore = ResponsesStoreSection.read(root.get("responses_store"));
        JsonNode providers = section(root, "providers", null);
        providers.fields().forEachRemaining(e -> draft.providers.put(e.getKey(), provider(e.getKey(), e.getValue())));
        JsonNode models = section(root, "models", null);
        models.fields().forEachRemaining(e -> draft.models.put(e.getKey(), model(e.getKey(), e.getValue())));
    }

    /** A provider's keys as written; which keys its type takes is for the loader and the type's factory to say. */
    private static ProviderBlock provider(String name, JsonNode node) {
        String path = "providers." + name;
        if (!node.isObject()) {
            throw new ConfigException(path + ": must be a mapping with at least 'type'");
        }
        ProviderBlock block = ProviderBlock.inFile(name);
        node.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (!value.isValueNode()) {
                throw new ConfigException(path + "." + entry.getKey() + ": must be a single value, not a list or a mapping");
            }
            if (!value.isNull()) {
                block.put(entry.getKey(), value.asText(), path + "." + entry.getKey());
            }
        });
        return block;
    }

    private static ModelDraft model(String name, JsonNode node) {
        String path = "models." + name;
        if (!node.isObject() || !node.path("deployments").isArray() || node.path("deployments").isEmpty()) {
            throw new ConfigException(path + ": needs a non-empty 'deployments' list, e.g. "
                    + "deployments: [{ provider: azure-east, model: gpt-4o-prod }]");
        }
        checkKeys(node, path, MODEL);
        ModelDraft model = new ModelDraft(name, path);
        if (node.has("strategy")) {
            model.strategy = RoutingSection.strategy(node.get("strategy").asText(), path + ".strategy");
        }
        if (node.has("condense")) {
            model.condense = bool(node.get("condense"), path + ".condense");
        }
        JsonNode deployments = node.get("deployments");
        for (int i = 0; i < deployments.size(); i++) {
            JsonNode d = deployments.get(i);
            String dPath = path + ".deployments[" + i + "]";
            if (!d.isObject()) {
                throw new ConfigException(dPath + ": must be a mapping like { provider: azure-east, model: gpt-4o-prod }");
            }
            checkKeys(d, dPath, DEPLOYMENT);
            Integer maxOut = d.has("max_output_tokens")
                    ? ConfigValues.positiveInt(d.get("max_output_tokens").asText(), dPath + ".max_output_tokens", Integer.MAX_VALUE)
                    : null;
            Boolean reasoning = d.has("reasoning") ? bool(d.get("reasoning"), dPath + ".reasoning") : null;
            int weight = d.has("weight") ? ConfigValues.positiveInt(d.get("weight").asText(), dPath + ".weight", 1_000_000) : 1;
            Integer window = d.has("context_window")
                    ? ConfigValues.positiveInt(d.get("context_window").asText(), dPath + ".context_window", Integer.MAX_VALUE) : null;
            GatewayConfig.Cost cost = d.has("cost") ? RoutingSection.cost(d.get("cost"), dPath + ".cost") : null;
            model.deployments.add(new DeploymentDraft(text(d, "provider"), text(d, "model"), maxOut, reasoning, weight, window, cost,
                    text(d, "thinking"), dPath));
        }
        return model;
    }

    private static JsonNode section(JsonNode root, String name, Set<String> allowed) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new ConfigException(name + ": must be a mapping");
        }
        if (allowed != null) {
            checkKeys(node, name, allowed);
        }
        return node;
    }

    /**
     * A mapping from names to values ({@code teams}, {@code prices}, {@code limits.per_model}, {@code cache.routes}),
     * each value read by {@code read} with its own path ({@code teams.platform}); {@code into} stays empty when the
     * mapping is absent.
     *
     * @param what what it maps to, for the message when it is no mapping ({@code model name to limits})
     */
    static <T, M extends Map<String, T>> M namedEntries(JsonNode node, String path, String what, M into,
                                                       BiFunction<JsonNode, String, T> read) {
        if (node == null || node.isNull()) {
            return into;
        }
        if (!node.isObject()) {
            throw new ConfigException(path + ": must be a mapping of " + what);
        }
        node.fields().forEachRemaining(e -> into.put(e.getKey(), read.apply(e.getValue(), path + "." + e.getKey())));
        return into;
    }

    /** One of {@link #namedEntries}' values that must itself be a mapping of {@code allowed} keys; {@code shape} shows one. */
    static JsonNode entry(JsonNode node, String path, String shape, Set<String> allowed) {
        if (!node.isObject()) {
            throw new ConfigException(path + ": must be a mapping " + shape);
        }
        checkKeys(node, path, allowed);
        return node;
    }

    static void checkKeys(JsonNode node, String path, Set<String> allowed) {
        node.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                throw new ConfigException((path.isEmpty() ? "" : path + ".") + key + ": unknown key; allowed here: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        });
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode node, String path) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> out.add(v.asText()));
        } else if (!node.isNull()) {
            out.add(node.asText());
        }
        return out;
    }

    static boolean bool(JsonNode node, String path) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.asText();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(path + ": '" + text + "' is not true or false");
    }
}
