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
                .hasMessage("state.table: unknown for store redis; allowed here: auth, prefix, timeout, url");
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
        assertThat(defaults.auth()).isEqualTo("password");
        assertThat(defaults.usesTokens()).isFalse();
        RedisSettings entra = RedisSettings.from(Map.of("url", "rediss://cache.example.com:10000", "auth", " Entra "));
        assertThat(entra.auth()).isEqualTo("entra");
        assertThat(entra.usesTokens()).isTrue();
    }

    @Test
    void entraWithoutTheAzureModuleSaysWhichModuleAndHowElse() {
        // this module's tests carry no Azure module: the service loader finds no entra source
        assertThatThrownBy(() -> open(Map.of("url", "rediss://cache.example.com:10000", "auth", "entra")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.auth (or GATEWAY_REDIS_AUTH): entra needs the Azure module (io.llmgw:gateway-keyvault)")
                .hasMessageContaining("app image or the Azure Functions package")
                .hasMessageContaining("state.auth: password");
    }

    @Test
    void anUnknownAuthNamesTheChoices() {
        assertThatThrownBy(() -> open(Map.of("url", "redis://cache:6379", "auth", "kerberos")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("state.auth (or GATEWAY_REDIS_AUTH): 'kerberos' is not available in this build; use one of "
                        + "fixed-test, password (entra comes with the Azure module, gateway-keyvault)");
        assertThatThrownBy(() -> open(Map.of("url", "redis://cache:6379", "auth", "to ken")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.auth (or GATEWAY_REDIS_AUTH): 'to ken' is not a way to sign in; write password");
    }

    @Test
    void tokensNeedAUrlWithoutCredentialsAndTlsBeyondLoopback() {
        String tokens = FixedTestTokens.AUTH;
        assertThatThrownBy(() -> open(Map.of("url", "rediss://:" + PASSWORD + "@cache.example.com:10000", "auth", tokens)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("holds credentials, but state.auth is " + tokens)
                .hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> open(Map.of("url", "redis://cache.example.com:6379", "auth", tokens)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.url (or GATEWAY_REDIS_URL): 'redis://cache.example.com:6379' is not TLS")
                .hasMessageContaining("write rediss://cache.example.com:6379");
        // loopback traffic does not leave the machine
        try (StateStore loopback = open(Map.of("url", "redis://127.0.0.1:6379", "auth", tokens))) {
            assertThat(loopback.kind()).isEqualTo("redis");
        }
        assertThat(RedisSettings.from(Map.of("url", "redis://localhost:6379", "auth", "entra")).usesTokens()).isTrue();
    }

    @Test
    void openingDoesNotNeedTheServer() {
        // nothing listens on port 1; the store opens and names itself, and only using it fails
        try (StateStore store = open(Map.of("url", "redis://127.0.0.1:1", "timeout", "200ms"))) {
            assertThat(store.kind()).isEqualTo("redis");
        }
    }
}
