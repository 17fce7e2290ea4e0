package io.llmgw.core.config;

import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.env;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.admin.ConfigView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cache:}: defaults, every setting, and a message naming the key for each mistake. */
class CacheConfigTest {
    private static final String BASE = """
            auth: { keys: ["cache-config-gateway-key-0123456789abcdef"] }
            providers: { m: { type: mock } }
            models: { gpt-4o: { deployments: [{ provider: m }] }, "claude-*": { deployments: [{ provider: m }] } }
            """;

    @TempDir
    Path dir;

    @Test
    void theCacheIsOffUnlessAskedFor() {
        CacheConfig cache = loadYaml(dir, BASE).cache();
        assertThat(cache.anyEnabled()).isFalse();
        assertThat(loadYaml(dir, BASE + "cache: { ttl: 5m }\n").cache().anyEnabled()).as("enabled defaults to false").isFalse();
    }

    @Test
    void everySettingIsRead() {
        GatewayConfig config = loadYaml(dir, BASE.replace("auth: { keys: [\"cache-config-gateway-key-0123456789abcdef\"] }",
                "auth:\n  keys: [\"cache-config-gateway-key-0123456789abcdef\"]\n  virtual_keys:\n"
                        + "    - { name: ci, key: ci-virtual-key-0123456789abcdef0123456789, cache: false }\n"
                        + "    - { name: dev, key: dev-virtual-key-0123456789abcdef012345678, cache: true }") + """
                cache:
                  enabled: true
                  ttl: 10m
                  max_entry_bytes: 256KiB
                  max_total_bytes: 1GB
                  tool_calls: true
                  per_key: true
                  encryption_key: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
                  routes:
                    gpt-4o: { ttl: 30s, max_entry_bytes: 2048 }
                    "claude-*": { enabled: false }
                """);
        CacheConfig cache = config.cache();
        assertThat(cache.enabled()).isTrue();
        assertThat(cache.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(cache.maxEntryBytes()).isEqualTo(256 * 1024);
        assertThat(cache.maxTotalBytes()).isEqualTo(1_000_000_000L);
        assertThat(cache.toolCalls()).isTrue();
        assertThat(cache.perKey()).isTrue();
        assertThat(cache.encryptionKey().getEncoded()).hasSize(32);
        assertThat(cache.toString()).contains("encrypted=true").doesNotContain("AAECAwQF");
        String view = new String(ConfigView.render(config), StandardCharsets.UTF_8);
        assertThat(view).contains("\"cache\":{\"enabled\":true,", "\"encryption_key\":\"[redacted]\"").doesNotContain("AAECAwQF");
        assertThat(cache.keys()).containsOnlyKeys("ci", "dev");
        assertThat(cache.enabledFor("gpt-4o", null)).isTrue();
        assertThat(cache.enabledFor("gpt-4o", "ci")).isFalse();
        assertThat(cache.enabledFor("gpt-4o", "dev")).isTrue();
        assertThat(cache.ttlFor("gpt-4o", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(cache.maxEntryBytesFor("gpt-4o", null)).isEqualTo(2048);
        assertThat(cache.enabledFor("claude-*", null)).isFalse();
        assertThat(cache.enabledFor("claude-*", "dev")).as("a route turned off stays off").isFalse();
        assertThat(cache.ttlFor("claude-*", null)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void gatewayCacheTtlTurnsTheCacheOn() {
        CacheConfig cache = loadYaml(dir, BASE, Map.of("GATEWAY_CACHE_TTL", "15m")).cache();
        assertThat(cache.enabledFor("gpt-4o", null)).isTrue();
        assertThat(cache.ttl()).isEqualTo(Duration.ofMinutes(15));
        assertYamlFails(dir, BASE, env("GATEWAY_CACHE_TTL", "forever")).hasMessageStartingWith("GATEWAY_CACHE_TTL: 'forever' is not a duration");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cache: { enable: true }|cache.enable: unknown key; allowed here: enabled, encryption_key, max_entry_bytes, max_total_bytes, per_key, routes, tool_calls, ttl",
            "cache: { encryption_key: c2hvcnQ= }|cache.encryption_key: must decode to 32 bytes (or 16 or 24), not 5",
            "cache: { encryption_key: '!!' }|cache.encryption_key: is not base64",
            "cache: true|cache: must be a mapping",
            "cache: { enabled: yes please }|cache.enabled: 'yes please' is not true or false",
            "cache: { ttl: 0s }|cache.ttl: must be greater than zero",
            "cache: { max_entry_bytes: 1TB }|cache.max_entry_bytes: '1TB' is not a size",
            "cache: { max_entry_bytes: 0 }|cache.max_entry_bytes: '0' is not a size",
            "cache: { max_entry_bytes: 2MiB, max_total_bytes: 1MiB }|cache.max_entry_bytes: 2097152 bytes is more than cache.max_total_bytes",
            "cache: { routes: { gpt-4: { enabled: true } } }|cache.routes.gpt-4: no such model under models:",
            "cache: { routes: { gpt-4o: { ttl: 5m, size: 1 } } }|cache.routes.gpt-4o.size: unknown key",
            "cache: { routes: [gpt-4o] }|cache.routes: must be a mapping",
    })
    void mistakesStopTheStartNamingTheKey(String yaml, String message) {
        assertYamlFails(dir, BASE + yaml + "\n").hasMessageStartingWith(message);
    }

    @Test
    void aVirtualKeyHasItsOwnOnOffTimeToLiveAndEntrySize() {
        CacheConfig cache = loadYaml(dir, BASE.replace("auth: { keys: [\"cache-config-gateway-key-0123456789abcdef\"] }", """
                auth:
                  virtual_keys:
                    - { name: ci, key: ci-virtual-key-0123456789abcdef0123456789, cache: { enabled: true, ttl: 7d, max_entry_bytes: 4MiB } }
                    - { name: app, key: app-virtual-key-0123456789abcdef01234567, cache: { ttl: 1m, max_entry_bytes: 1KiB } }
                    - { name: dev, key: dev-virtual-key-0123456789abcdef012345678 }
                """) + "cache: { ttl: 10m, routes: { gpt-4o: { ttl: 30s } } }\n").cache();
        assertThat(cache.anyEnabled()).as("one key caching is enough").isTrue();
        assertThat(cache.enabledFor("claude-*", "ci")).isTrue();
        assertThat(cache.enabledFor("claude-*", "app")).as("cache.enabled is false").isFalse();
        assertThat(cache.enabledFor("claude-*", "dev")).isFalse();
        assertThat(cache.ttlFor("claude-*", "ci")).as("the shorter of the two").isEqualTo(Duration.ofMinutes(10));
        assertThat(cache.ttlFor("claude-*", "app")).isEqualTo(Duration.ofMinutes(1));
        assertThat(cache.ttlFor("gpt-4o", "app")).isEqualTo(Duration.ofSeconds(30));
        assertThat(cache.maxEntryBytesFor("claude-*", "ci")).isEqualTo(CacheConfig.DEFAULT_MAX_ENTRY_BYTES);
        assertThat(cache.maxEntryBytesFor("claude-*", "app")).isEqualTo(1024);
        assertThat(cache.maxEntryBytesFor("claude-*", "dev")).isEqualTo(CacheConfig.DEFAULT_MAX_ENTRY_BYTES);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cache: sometimes|auth.virtual_keys[0].cache: 'sometimes' is not true, false or a mapping",
            "cache: { enabled: true, size: 1 }|auth.virtual_keys[0].cache.size: unknown key; allowed here: enabled, max_entry_bytes, ttl",
            "cache: { ttl: soon }|auth.virtual_keys[0].cache.ttl: 'soon' is not a duration",
            "cache: { max_entry_bytes: 128MiB }|auth.virtual_keys[0].cache.max_entry_bytes: '128MiB' is not a size",
            "cache: { max_entry_bytes: 2MiB }|auth.virtual_keys[0].cache.max_entry_bytes: 2097152 bytes is more than cache.max_total_bytes",
    })
    void aVirtualKeysCacheSettingsAreChecked(String own, String message) {
        assertYamlFails(dir, BASE.replace("auth: { keys: [\"cache-config-gateway-key-0123456789abcdef\"] }",
                "auth:\n  virtual_keys:\n    - { name: ci, key: ci-virtual-key-0123456789abcdef0123456789, " + own + " }")
                + "cache: { max_total_bytes: 1MiB }\n")
                .hasMessageStartingWith(message);
    }
}
