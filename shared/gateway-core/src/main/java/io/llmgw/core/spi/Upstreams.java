package io.llmgw.core.spi;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.upstream.InProcessUpstream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The providers of one configuration, built by their types' factories once, by provider name. */
public final class Upstreams {
    private final Map<String, Provider> byName = new LinkedHashMap<>();

    public Upstreams(GatewayConfig config) {
        this(config, ProviderRegistry.get());
    }

    public Upstreams(GatewayConfig config, ProviderRegistry registry) {
        config.providers().forEach((name, provider) -> {
            ProviderFactory factory = registry.factory(provider.type());
            if (factory == null) {  // the loader refuses unknown types; only a hand-built configuration gets here
                throw new IllegalArgumentException("no provider factory for type '" + provider.type() + "' on the class path");
            }
            byName.put(name, factory.create(provider));
        });
    }

    /** The provider configured as {@code name}. */
    public Provider get(String name) {
        Provider provider = byName.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("no provider named '" + name + "'");
        }
        return provider;
    }

    /** The upstreams that answer inside the gateway, by URI scheme, for the upstream client. */
    public Map<String, InProcessUpstream> inProcess() {
        Map<String, InProcessUpstream> all = new HashMap<>();
        byName.values().forEach(provider -> all.putAll(provider.inProcess()));
        return all;
    }
}
