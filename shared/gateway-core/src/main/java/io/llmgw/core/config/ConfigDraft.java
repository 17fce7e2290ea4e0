package io.llmgw.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration as read from the file and the environment, before validation. Every value
 * remembers where it came from (a file key or an environment variable) so that an error message
 * can name exactly what to fix.
 */
final class ConfigDraft {
    Integer port;
    String portSource = "server.port";
    String mode;
    List<String> keys = new ArrayList<>();
    String keysSource = "auth.keys";
    List<String> authHeaders;
    List<String> corsOrigins = new ArrayList<>();
    boolean configEndpoint = true;
    boolean publicMetrics;
    Duration timeout = Duration.ofSeconds(600);
    String timeoutSource = "upstream.timeout";
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration keepAlive = Duration.ofSeconds(10);
    GatewayConfig.Routing routing = GatewayConfig.Routing.defaults();
    final Map<String, ProviderDraft> providers = new LinkedHashMap<>();
    final Map<String, ModelDraft> models = new LinkedHashMap<>();

    static final class ProviderDraft {
        final String name;
        final Map<String, String> sources = new HashMap<>();
        String type;
        String baseUrl;
        String chatCompletionsUrl;
        String apiKey;
        String apiVersion;
        String responses;
        Duration timeout;
        Duration connectTimeout;
        Integer maxConcurrency;
        /** type mock only: {@code first_token_delay} and {@code token_delay}, parsed by {@link MockSection} */
        String firstTokenDelay;
        String tokenDelay;

        ProviderDraft(String name) {
            this.name = name;
        }

        /** The file key or environment variable a field came from. */
        String source(String field) {
            return sources.getOrDefault(field, "providers." + name + "." + field);
        }
    }

    static final class ModelDraft {
        final String name;
        final String source;
        final List<DeploymentDraft> deployments = new ArrayList<>();
        GatewayConfig.Strategy strategy = GatewayConfig.Strategy.PRIORITY;
        boolean condense;

        ModelDraft(String name, String source) {
            this.name = name;
            this.source = source;
        }
    }

    record DeploymentDraft(String provider, String model, Integer maxOutputTokens, Boolean reasoning, int weight,
                           Integer contextWindow, GatewayConfig.Cost cost, String thinking, String source) {
        DeploymentDraft(String provider, String model, String source) {
            this(provider, model, null, null, 1, null, null, null, source);
        }
    }
}
