package io.llmgw.core.state;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.ConfigException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;

/** Finds the configured state store among the built-in in-memory one and the modules on the class path. */
public final class StateStores {
    private StateStores() {}

    public static StateStore open(AccessConfig.State state) {
        Map<String, StateStoreFactory> factories = new TreeMap<>();
        ServiceLoader.load(StateStoreFactory.class, StateStores.class.getClassLoader())
                .forEach(factory -> factories.put(factory.kind(), factory));
        if (state.store().equals("memory")) {
            if (!state.options().isEmpty()) {
                throw new ConfigException("state." + state.options().keySet().iterator().next()
                        + ": the memory store takes no options; remove it or choose store: redis or dynamodb");
            }
            return new InMemoryStateStore();
        }
        StateStoreFactory factory = factories.get(state.store());
        if (factory == null) {
            TreeSet<String> choices = new TreeSet<>(factories.keySet());
            choices.add("memory");
            throw new ConfigException("state.store (or GATEWAY_STATE_STORE): '" + state.store() + "' is not available in this build; "
                    + "use one of " + String.join(", ", choices));
        }
        for (String option : state.options().keySet()) {
            if (!factory.options().contains(option)) {
                throw new ConfigException("state." + option + ": unknown for store " + state.store() + "; allowed here: "
                        + String.join(", ", new TreeSet<>(factory.options())));
            }
        }
        return factory.open(state.options());
    }
}
