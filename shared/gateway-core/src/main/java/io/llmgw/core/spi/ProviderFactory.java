package io.llmgw.core.spi;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.ProviderBlock;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One kind of upstream, discovered with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.llmgw.core.spi.ProviderFactory}), so a provider can live in a module of
 * its own. It reads its settings block, says which environment variables configure it, and builds
 * the {@link Provider} that speaks the upstream's wire.
 */
public interface ProviderFactory {
    /** The {@code type:} value that selects this provider in configuration, e.g. {@code openai}. */
    String type();

    /** The settings keys this type reads, besides the ones every provider has (type, api_key, timeouts, max_concurrency). */
    Set<String> keys();

    /**
     * Reads and validates this type's settings. Problems are a {@link io.llmgw.core.config.ConfigException}
     * naming the key (as {@link SettingsBlock#source}) and the fix.
     */
    ProviderSettings settings(SettingsBlock block);

    /** The provider serving one configured provider entry. */
    Provider create(GatewayConfig.Provider config);

    /**
     * Providers configured by this type's environment variables alone (e.g. {@code ANTHROPIC_API_KEY}),
     * as blocks the loader reads like a file's; empty when none of them is set.
     */
    default List<EnvironmentProvider> fromEnvironment(Function<String, String> env) {
        return List.of();
    }

    /**
     * How {@link #fromEnvironment} is turned on, for the message that stops a start with no upstream,
     * e.g. {@code ANTHROPIC_API_KEY (Anthropic)}; empty when the type has no environment shortcut.
     */
    default List<String> environmentHints() {
        return List.of();
    }

    /**
     * A provider the environment configures, serving every model name.
     *
     * @param block the provider's settings, with each value's variable as its source
     * @param model the upstream model every name maps to, or null to send the requested name
     * @param order its place among the environment's providers serving {@code *} (lower first: the
     *              first is the primary, the others its failover deployments)
     * @param alone whether it must be the only environment provider (the mock: as a failover it would
     *              stand in for a real upstream)
     */
    record EnvironmentProvider(ProviderBlock block, String model, int order, boolean alone) {}
}
