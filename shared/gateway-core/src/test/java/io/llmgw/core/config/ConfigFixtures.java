package io.llmgw.core.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;

/** Shared values and helpers for the configuration tests. */
final class ConfigFixtures {
    /** Gateway keys: 32 to 256 printable ASCII characters. Each holds a marker to look for in messages. */
    static final String GATEWAY_KEY = "gwkeyGWSECRETA0123456789abcdef0123456789";
    static final String GATEWAY_KEY_2 = "gwkeyGWSECRETB0123456789abcdef0123456789";
    static final String GATEWAY_KEY_3 = "gwkeyGWSECRETC0123456789abcdef0123456789";
    static final String AZURE_KEY = "azkeyUPSECRETAZ0123456789abcdef";
    static final String OPENAI_KEY = "sk-proj-UPSECRETOA0123456789abcdef";

    private ConfigFixtures() {}

    /** An environment from name/value pairs (a mutable copy, so tests can add to it). */
    static Map<String, String> env(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    static Path yaml(Path dir, String text) {
        try {
            Path file = Files.createTempFile(dir, "gateway", ".yaml");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code text} as the configuration file, with {@code env} as the environment. */
    static GatewayConfig loadYaml(Path dir, String text, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("GATEWAY_CONFIG", yaml(dir, text).toString());
        return ConfigLoader.load(all);
    }

    static GatewayConfig loadYaml(Path dir, String text) {
        return loadYaml(dir, text, Map.of());
    }

    /** Asserts loading fails with a {@link ConfigException} and returns its message assertion. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertFails(Map<String, String> env) {
        return assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertYamlFails(Path dir, String text, Map<String, String> env) {
        return assertThatThrownBy(() -> loadYaml(dir, text, env)).isInstanceOf(ConfigException.class);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertYamlFails(Path dir, String text) {
        return assertYamlFails(dir, text, Map.of());
    }
}
