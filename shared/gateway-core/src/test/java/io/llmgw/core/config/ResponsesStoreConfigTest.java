package io.llmgw.core.config;

import static io.llmgw.core.config.ConfigFixtures.assertYamlFails;
import static io.llmgw.core.config.ConfigFixtures.loadYaml;
import static io.llmgw.core.config.ConfigFixtures.servedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.admin.ConfigView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code responses_store:}: the defaults, each key, and mistakes that stop the start naming the key — never showing the encryption key. */
class ResponsesStoreConfigTest {
    private static final String PROVIDER = "auth: { keys: [gw-key-0123456789abcdef0123456789abcdef] }\n"
            + "providers: { p: { type: openai, base_url: 'https://a.example.com', api_key: sk-upstream-0000000000000000 } }"
            + servedBy("p");
    /** 32 bytes in base64. */
    private static final String KEY = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

    @TempDir
    Path dir;

    @Test
    void onByDefaultForThirtyDaysUnencrypted() {
        ResponsesStoreConfig config = loadYaml(dir, PROVIDER).responsesStore();

        assertThat(config.enabled()).isTrue();
        assertThat(config.ttl()).isEqualTo(Duration.ofDays(30));
        assertThat(config.encryptionKey()).isNull();
        assertThat(config.maxBytes()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void everyKeyIsRead() {
        GatewayConfig config = loadYaml(dir, PROVIDER + "responses_store: { enabled: false, ttl: 7d, encryption_key: \"${STORE_KEY}\", "
                + "max_bytes: 512KB }\n", Map.of("STORE_KEY", KEY));
        ResponsesStoreConfig stored = config.responsesStore();

        assertThat(stored.enabled()).isFalse();
        assertThat(stored.ttl()).isEqualTo(Duration.ofDays(7));
        assertThat(stored.encryptionKey().getAlgorithm()).isEqualTo("AES");
        assertThat(stored.encryptionKey().getEncoded()).hasSize(32);
        assertThat(stored.maxBytes()).isEqualTo(512 * 1024);
        String view = new String(ConfigView.render(config), StandardCharsets.UTF_8);
        assertThat(view).contains("\"responses_store\"", "\"encryption_key\":\"[redacted]\"").doesNotContain(KEY);
        assertThat(stored.toString()).doesNotContain(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ttl: 0s", "ttl: forever", "max_bytes: 1KB", "max_bytes: 1GB", "max_bytes: lots", "enabled: maybe",
        "retention: 1d"})
    void mistakesNameTheKey(String entry) {
        String key = entry.substring(0, entry.indexOf(':'));
        assertYamlFails(dir, PROVIDER + "responses_store: { " + entry + " }\n").hasMessageContaining("responses_store." + key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64 at all!", "c2hvcnQ=", "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJCrze8SNFZ4kA=="})
    void aBadEncryptionKeyIsRefusedWithoutBeingShown(String key) {
        assertYamlFails(dir, PROVIDER + "responses_store: { encryption_key: \"" + key + "\" }\n")
                .hasMessageContaining("responses_store.encryption_key").hasMessageContaining("openssl rand -base64 32")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key));
    }
}
