package io.llmgw.core.config.load;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.GatewayConfig;

import io.llmgw.core.config.ProviderBlock;

import java.time.Duration;
import java.util.ArrayList;
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
    List<AccessConfig.VirtualKey> virtualKeys = List.of();
    AccessConfig.Jwt jwt;
    Map<String, AccessConfig.Policy> teams = Map.of();
    AccessConfig.Limits globalLimits = AccessConfig.Limits.NONE;
    AccessConfig.Limits perClientIpLimits = AccessConfig.Limits.NONE;
    Map<String, AccessConfig.Limits> perModelLimits = Map.of();
    List<String> trustedProxies = List.of();
    boolean failClosed;
    AccessConfig.State state = AccessConfig.State.MEMORY;
    Map<String, AccessConfig.Price> prices = Map.of();
    io.llmgw.core.config.CacheConfig cache = io.llmgw.core.config.CacheConfig.OFF;
    io.llmgw.core.config.ResponsesStoreConfig responsesStore = io.llmgw.core.config.ResponsesStoreConfig.defaults();
    final Map<String, ProviderBlock> providers = new LinkedHashMap<>();
    final Map<String, ModelDraft> models = new LinkedHashMap<>();

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
