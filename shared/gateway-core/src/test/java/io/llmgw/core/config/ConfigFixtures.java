package io.llmgw.core.config;

import io.llmgw.core.config.load.ConfigLoader;

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

    /**
     * A models section sending every name to {@code provider}: what a file that names providers needs
     * beside them to load, since a configuration with no model served stops the start.
     */
    static String servedBy(String provider) {
        return "\nmodels: { '*': { deployments: [{ provider: " + provider + " }] } }\n";
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

    /** A file using every section, with ${GW_KEY}, ${AZURE_EAST_KEY}, ${OPENAI_KEY} and ${OPENAI_BASE:-…} references. */
    static final String FULL = """
            server:
              port: 9090
            auth:
              mode: gateway
              keys: ["${GW_KEY}", "%s"]
              header: X-API-Key
            cors:
              allowed_origins: [https://app.example.com, https://admin.example.com]
            admin:
              config_endpoint: false
            upstream:
              timeout: 120s
              connect_timeout: 1500ms
            providers:
              azure-east:
                type: azure-openai
                base_url: https://east.openai.azure.com/
                api_key: ${AZURE_EAST_KEY}
              openai:
                type: openai
                base_url: ${OPENAI_BASE:-https://api.openai.com/v1}
                api_key: ${OPENAI_KEY}
                timeout: 10m
              local:
                type: openai
                base_url: http://127.0.0.1:11434/v1
                connect_timeout: 2
              azure-west:
                type: azure-openai
                base_url: https://west.openai.azure.com
                api_key: ${AZURE_EAST_KEY}
                api_version: 2025-04-01-preview
            models:
              gpt-4o:
                deployments:
                  - { provider: azure-east, model: gpt-4o-prod, max_output_tokens: 4096 }
                  - { provider: azure-west, model: gpt-4o-dr }
                  - { provider: openai, model: gpt-4o }
              "llama*":
                deployments:
                  - { provider: local }
              "*":
                deployments: [{ provider: openai }]
            """.formatted(GATEWAY_KEY_2);

    /** {@link #FULL} loaded with its variables set, plus {@code extra}. */
    static GatewayConfig loadFull(Path dir, Map<String, String> extra) {
        Map<String, String> env = env("GW_KEY", GATEWAY_KEY, "AZURE_EAST_KEY", AZURE_KEY, "OPENAI_KEY", OPENAI_KEY);
        env.putAll(extra);
        return loadYaml(dir, FULL, env);
    }
}
