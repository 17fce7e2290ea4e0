package io.llmgw.testprovider.echo;

import io.llmgw.core.config.BaseUrlSettings;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.spi.AbstractProviderFactory;
import java.net.URI;

/**
 * Type {@code echo}: a provider that exists only in this test package and in the one line of
 * {@code META-INF/services/io.llmgw.core.spi.ProviderFactory} on the test class path — nothing in the core names it.
 * Its upstream takes {@code {"say": text}} at {@code {base_url}/echo} and answers {@code {"text": …}}, or an SSE
 * stream of {@code {"text": …}} events ending with {@code {"done": true}}.
 */
public final class EchoFactory extends AbstractProviderFactory {
    record EchoSettings(URI baseUrl) implements BaseUrlSettings {}

    public EchoFactory() {
        super("echo", EchoProvider::new, "base_url");
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        URI base = block.url("base_url");
        if (base == null) {
            throw new ConfigException(block.source("base_url") + ": missing; set the echo server's URL");
        }
        return new EchoSettings(base);
    }
}
