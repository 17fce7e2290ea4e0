package io.llmgw.core.config;

import io.llmgw.core.config.load.ConfigLoader;

import static io.llmgw.core.config.ConfigFixtures.AZURE_KEY;
import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY;
import static io.llmgw.core.config.ConfigFixtures.GATEWAY_KEY_2;
import static io.llmgw.core.config.ConfigFixtures.OPENAI_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * A bad value in any environment variable stops loading with a {@link ConfigException} that names
 * the variable and never echoes a secret: neither the bad key itself nor any other configured key.
 */
class EnvironmentValidationTest {
    /** Every secret below carries this marker, so a leak of any part of one is caught. */
    private static final String MARKER = "SECRET";

    private static final Map<String, String> AZURE = Map.of(
            "AZURE_OPENAI_ENDPOINT", "https://my-resource.openai.azure.com",
            "AZURE_OPENAI_API_KEY", AZURE_KEY,
            "AZURE_OPENAI_MODEL", "gpt-4o-prod",
            "PROXY_API_KEY", GATEWAY_KEY);
    private static final Map<String, String> OPENAI = Map.of(
            "OPENAI_API_KEY", OPENAI_KEY,
            "PROXY_API_KEY", GATEWAY_KEY);
    private static final Map<String, String> BACKEND = Map.of(
            "BACKEND_URL", "https://llm.internal.example.com/v1/chat/completions",
            "PROXY_API_KEYS", GATEWAY_KEY + "," + GATEWAY_KEY_2);

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("BACKEND_URL", "not a url", OPENAI),
                bad("BACKEND_URL", "http://example.com/v1/chat/completions", OPENAI),
                bad("BACKEND_URL", "ftp://example.com/v1/chat/completions", OPENAI),
                bad("BACKEND_TIMEOUT_SECS", "abc", BACKEND),
                bad("BACKEND_TIMEOUT_SECS", "0", BACKEND),
                bad("BACKEND_TIMEOUT_SECS", "-3", BACKEND),
                bad("AZURE_OPENAI_ENDPOINT", "ftp://x", AZURE),
                bad("AZURE_OPENAI_ENDPOINT", "http://example.com", AZURE),
                bad("AZURE_OPENAI_ENDPOINT", "my-resource.openai.azure.com", AZURE),
                bad("AZURE_OPENAI_API_KEY", "azkeySECRETpart1 azkeySECRETpart2", AZURE),
                bad("AZURE_OPENAI_API_KEY", "azkeySECRETpart1\nazkeySECRETpart2", AZURE),
                bad("AZURE_OPENAI_API_KEY", "azkeySECRET\u00e9nonascii0123456789", AZURE),
                bad("AZURE_OPENAI_MODEL", "bad name!", AZURE),
                bad("AZURE_OPENAI_MODEL", "x".repeat(65), AZURE),
                bad("AZURE_OPENAI_API_VERSION", "yesterday", AZURE),
                bad("AZURE_OPENAI_API_VERSION", "2024-10", AZURE),
                bad("PROXY_API_KEY", "SECRET1234", OPENAI),                 // 10 characters: too short
                bad("PROXY_API_KEY", "SECRET" + "k".repeat(294), OPENAI),   // 300 characters: too long
                bad("PROXY_API_KEY", "gwkeySECRET0123456789 abcdef0123456789", OPENAI),
                bad("PROXY_API_KEYS", GATEWAY_KEY_2 + ",shortSECRET," + GATEWAY_KEY, Map.of("OPENAI_API_KEY", OPENAI_KEY)),
                bad("PROXY_API_KEYS", " , ,", Map.of("OPENAI_API_KEY", OPENAI_KEY)),
                bad("OPENAI_API_KEY", "sk-proj-SECRETpart1\nsk-proj-SECRETpart2", Map.of("PROXY_API_KEY", GATEWAY_KEY)),
                bad("OPENAI_API_KEY", "\"sk-proj-SECRET quoted0123456789\"", Map.of("PROXY_API_KEY", GATEWAY_KEY)),
                bad("OPENAI_BASE_URL", "http://example.com", OPENAI),
                bad("OPENAI_BASE_URL", "https://example.com/v1?api-version=1", OPENAI),
                bad("PORT", "abc", OPENAI),
                bad("PORT", "70000", OPENAI),
                bad("PORT", "0", OPENAI),
                bad("HOST_PORT", "abc", OPENAI),
                bad("HOST_PORT", "70000", OPENAI),
                bad("GATEWAY_PORT", "abc", OPENAI),
                bad("GATEWAY_PORT", "70000", OPENAI),
                bad("REQUEST_TIMEOUT", "-5", OPENAI),
                bad("REQUEST_TIMEOUT", "soon", OPENAI),
                bad("REQUEST_TIMEOUT", "0", OPENAI),
                bad("REQUEST_TIMEOUT", "1.5", OPENAI));
    }

    private static Arguments bad(String variable, String value, Map<String, String> rest) {
        return Arguments.of(variable, value, rest);
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void badValueNamesTheVariableAndEchoesNoSecret(String variable, String value, Map<String, String> rest) {
        Map<String, String> env = new HashMap<>(rest);
        env.put(variable, value);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(env));

        assertThat(e).as("loading with %s=%s", variable, value).isNotNull();
        assertThat(e.getMessage()).contains(variable);
        assertNoSecretIn(e.getMessage(), env);
    }

    @Test
    void azureKeyWithoutEndpointNamesTheEndpoint() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "AZURE_OPENAI_API_KEY", AZURE_KEY, "PROXY_API_KEY", GATEWAY_KEY)));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("AZURE_OPENAI_ENDPOINT");
        assertNoSecretIn(e.getMessage(), Map.of("AZURE_OPENAI_API_KEY", AZURE_KEY, "PROXY_API_KEY", GATEWAY_KEY));
    }

    @Test
    void anyAzureVariableWithoutEndpointNamesTheEndpoint() {
        for (String variable : List.of("AZURE_OPENAI_MODEL", "AZURE_OPENAI_API_VERSION")) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> ConfigLoader.load(Map.of(variable, "2024-10-21")));
            assertThat(e).as(variable).isNotNull();
            assertThat(e.getMessage()).contains("AZURE_OPENAI_ENDPOINT");
        }
    }

    @Test
    void aGoodKeyNextToABadValueIsNotEchoedEither() {
        Map<String, String> env = new HashMap<>(AZURE);
        env.put("OPENAI_API_KEY", OPENAI_KEY);
        env.put("PORT", "abc");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(env));

        assertThat(e.getMessage()).contains("PORT");
        assertNoSecretIn(e.getMessage(), env);
    }

    /** No secret variable's value, nor any piece of it, may appear in the message. */
    private static void assertNoSecretIn(String message, Map<String, String> env) {
        assertThat(message).doesNotContain(MARKER);
        for (String name : List.of("AZURE_OPENAI_API_KEY", "OPENAI_API_KEY", "PROXY_API_KEY", "PROXY_API_KEYS")) {
            String value = env.get(name);
            if (value == null) {
                continue;
            }
            for (String piece : value.split("[,\\s]+")) {
                if (piece.length() >= 6) {
                    assertThat(message).as("%s leaked into the message", name).doesNotContain(piece);
                }
            }
        }
    }
}
