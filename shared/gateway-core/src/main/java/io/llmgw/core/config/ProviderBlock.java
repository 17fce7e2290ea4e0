package io.llmgw.core.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A provider's settings as written, from a {@code providers:} entry of the file or from environment
 * variables (which a provider factory gathers, see {@code ProviderFactory#fromEnvironment}). Every
 * value remembers its source, so an error names the file key or the variable to fix.
 */
public final class ProviderBlock implements SettingsBlock {
    private final String name;
    private final Function<String, String> env;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Set<String> fromEnvironment = new LinkedHashSet<>();
    private int gatewayPort = 8080;

    private ProviderBlock(String name, Function<String, String> env) {
        this.name = name;
        this.env = env;
    }

    /** An entry of the configuration file's {@code providers:}. */
    public static ProviderBlock inFile(String name) {
        return new ProviderBlock(name, variable -> null);
    }

    /** A provider the environment configures, named {@code name}, filled with {@link #variable}. */
    public static ProviderBlock fromEnvironment(String name, Function<String, String> env) {
        return new ProviderBlock(name, env);
    }

    /** Sets {@code key} from environment variable {@code variable} when that is set (not blank); its value, or null. */
    public String variable(String key, String variable) {
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            return null;
        }
        put(key, value, variable);
        fromEnvironment.add(key);
        return value.trim();
    }

    /** Sets {@code key}, naming {@code source} in errors about it. */
    public ProviderBlock put(String key, String value, String source) {
        values.put(key, value);
        sources.put(key, source);
        if (env.apply(source) != null) {
            fromEnvironment.add(key);
        }
        return this;
    }

    /** This block with its {@code type} set (an environment provider's type is its factory's). */
    public ProviderBlock typed(String type) {
        values.put("type", type);
        return this;
    }

    /** The same, naming {@code variable} (the one that turned the provider on) as the source of the whole block's type. */
    public ProviderBlock typed(String type, String variable) {
        sources.put("type", variable);
        return typed(type);
    }

    /** The keys written, {@code type} included. */
    public Set<String> keys() {
        return values.keySet();
    }

    public void gatewayPort(int port) {
        gatewayPort = port;
    }

    @Override
    public String provider() {
        return name;
    }

    @Override
    public String text(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String source(String key) {
        return sources.getOrDefault(key, "providers." + name + "." + key);
    }

    @Override
    public boolean fromEnvironment(String key) {
        return fromEnvironment.contains(key);
    }

    @Override
    public int gatewayPort() {
        return gatewayPort;
    }
}
