package io.llmgw.core.spi;

import io.llmgw.core.config.GatewayConfig;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link ProviderFactory} given its type name, its settings keys and its provider's constructor
 * once, so that a provider type writes only what is its own: reading its settings block and, when
 * it has any, its environment variables.
 */
public abstract class AbstractProviderFactory implements ProviderFactory {
    private final String type;
    private final Function<GatewayConfig.Provider, Provider> constructor;
    private final Set<String> keys;
    private List<String> environmentHints = List.of();

    /**
     * @param constructor builds the provider for one configured entry, e.g. {@code OpenAiProvider::new}
     * @param keys        the settings keys this type reads, as {@link #keys()} describes
     */
    protected AbstractProviderFactory(String type, Function<GatewayConfig.Provider, Provider> constructor, String... keys) {
        this.type = type;
        this.constructor = constructor;
        this.keys = Set.of(keys);
    }

    /** Sets what {@link #environmentHints()} answers; called from a subclass's constructor. */
    protected final void environmentHints(String... hints) {
        this.environmentHints = List.of(hints);
    }

    @Override
    public final List<String> environmentHints() {
        return environmentHints;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final Set<String> keys() {
        return keys;
    }

    @Override
    public final Provider create(GatewayConfig.Provider config) {
        return constructor.apply(config);
    }
}
