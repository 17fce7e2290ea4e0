package io.llmgw.testprovider.echo;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.spi.ProviderFactory;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Type {@code echo}: a provider that exists only in this test package and in the one line of
 * {@code META-INF/services/io.llmgw.core.spi.ProviderFactory} on the test class path — nothing in the core names it.
 * Its upstream takes {@code {"say": text}} at {@code {base_url}/echo} and answers {@code {"text": …}}, or an SSE
 * stream of {@code {"text": …}} events ending with {@code {"done": true}}.
 */
public final class EchoFactory implements ProviderFactory {
    record EchoSettings(URI baseUrl) implements ProviderSettings {
        @Override
        public URI endpoint() {
            return baseUrl;
        }

        @Override
        public Map<String, String> view() {
            return Map.of("base_url", baseUrl.toString());
        }
    }

    @Override
    public String type() {
        return "echo";
    }

    @Override
    public Set<String> keys() {
        return Set.of("base_url");
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        URI base = block.url("base_url");
        if (base == null) {
            throw new ConfigException(block.source("base_url") + ": missing; set the echo server's URL");
        }
        return new EchoSettings(base);
    }

    @Override
    public Provider create(GatewayConfig.Provider config) {
        return new EchoProvider(config);
    }
}
