package io.llmgw.core.spi;

import java.util.Collection;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every provider type on the class path, found with {@link ServiceLoader}: the core's own and those of
 * provider modules a platform includes. Read once; a type name given twice is a packaging mistake.
 */
public final class ProviderRegistry {
    private static final class Holder {
        static final ProviderRegistry INSTANCE = new ProviderRegistry(ServiceLoader.load(ProviderFactory.class,
                ProviderRegistry.class.getClassLoader()));
    }

    private final Map<String, ProviderFactory> factories = new TreeMap<>();

    ProviderRegistry(Iterable<ProviderFactory> found) {
        for (ProviderFactory factory : found) {
            ProviderFactory previous = factories.putIfAbsent(factory.type(), factory);
            if (previous != null && previous.getClass() != factory.getClass()) {
                throw new IllegalStateException("two provider factories for type '" + factory.type() + "': "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
    }

    public static ProviderRegistry get() {
        return Holder.INSTANCE;
    }

    /** The factory of {@code type}, or null when no module on the class path provides it. */
    public ProviderFactory factory(String type) {
        return type == null ? null : factories.get(type);
    }

    public Collection<ProviderFactory> factories() {
        return factories.values();
    }

    /** The known types, for messages: {@code anthropic | azure-openai | …}. */
    public String choices() {
        return factories.keySet().stream().collect(Collectors.joining(" | "));
    }
}
