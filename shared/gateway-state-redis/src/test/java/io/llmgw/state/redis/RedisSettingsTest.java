package io.llmgw.state.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStores;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration mistakes stop the start with a message naming the option and the fix, and never the password. */
class RedisSettingsTest {
    private static final String PASSWORD = "Sup3rS3cretPa55";

    private static StateStore open(Map<String, String> options) {
        return StateStores.open(new AccessConfig.State("redis", options));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://:" + PASSWORD + "@cache:6379",
        "cache:6379?password=" + PASSWORD,
        PASSWORD + "@cache:6379",
        "redis://:" + PASSWORD + "@",
        "redis://:" + PASSWORD + "@cache:notaport",
        "redis://:" + PASSWORD + "@cache:6379/notadatabase",
        "rediss://user:" + PASSWORD + "/with@slash@:6380",
        "redis://:" + PASSWORD + "@ca che:6379",
        "redis://:" + PASSWORD + "@cache:99999",
    })
    void aBadUrlNamesTheOptionAndHidesThePassword(String url) {
        assertThatThrownBy(() -> open(Map.of("url", url)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.url (or GATEWAY_REDIS_URL)")
                .hasMessageContaining("write e.g. redis://cache:6379")
                .hasMessageNotContaining(PASSWORD)
                .satisfies(e -> assertThat(e.getCause()).isNull());
    }

    @Test
    void theUrlIsRequired() {
        assertThatThrownBy(() -> open(Map.of("prefix", "x:")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.url (or GATEWAY_REDIS_URL): required for store redis");
    }

    @Test
    void theTimeoutMustBeADuration() {
        assertThatThrownBy(() -> open(Map.of("url", "redis://cache:6379", "timeout", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.timeout: 'soon' is not a duration");
        assertThatThrownBy(() -> open(Map.of("url", "redis://cache:6379", "timeout", "0ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.timeout: must be greater than zero");
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertThatThrownBy(() -> open(Map.of("url", "redis://cache:6379", "table", "limits")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("state.table: unknown for store redis; allowed here: prefix, timeout, url");
    }

    @Test
    void theSettingsAreReadAsWritten() {
        RedisSettings settings = RedisSettings.from(Map.of("url", "rediss://:" + PASSWORD + "@cache.example.com:6380/2",
                "prefix", "team-a:", "timeout", "750ms"));
        assertThat(settings.where()).isEqualTo("rediss://cache.example.com:6380/2");
        assertThat(settings.prefix()).isEqualTo("team-a:");
        assertThat(settings.timeout()).hasMillis(750);
        assertThat(settings.uri().isSsl()).isTrue();

        RedisSettings defaults = RedisSettings.from(Map.of("url", "redis://cache"));
        assertThat(defaults.where()).isEqualTo("redis://cache:6379");
        assertThat(defaults.prefix()).isEqualTo("llmgw:");
        assertThat(defaults.timeout()).hasSeconds(2);
        assertThat(RedisSettings.from(Map.of("url", "redis://cache", "timeout", "3")).timeout()).hasSeconds(3);
    }

    @Test
    void openingDoesNotNeedTheServer() {
        // nothing listens on port 1; the store opens and names itself, and only using it fails
        try (StateStore store = open(Map.of("url", "redis://127.0.0.1:1", "timeout", "200ms"))) {
            assertThat(store.kind()).isEqualTo("redis");
        }
    }
}
