package io.llmgw.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmgw.core.config.AuthMode;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticatorTest {
    private static final String KEY_A = "gw-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1111";
    private static final String KEY_B = "gw-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2222";
    private static final String CLIENT_KEY = "sk-client-cccccccccccccccccccccccc3333";

    private static Authenticator authenticator(AuthMode mode, String... keys) {
        return new Authenticator(new GatewayConfig.Auth(mode, List.of(keys), ConfigLoader.DEFAULT_AUTH_HEADERS));
    }

    private static Authenticator authenticator(AuthMode mode, List<String> headers, String... keys) {
        return new Authenticator(new GatewayConfig.Auth(mode, List.of(keys), headers));
    }

    private static GatewayException rejected(Authenticator auth, Headers headers) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> auth.authenticate(headers));
        assertThat(e).as("expected a 401 for %s", headers).isNotNull();
        assertThat(e.error().kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(e.error().status()).isEqualTo(401);
        return e;
    }

    // ---- where the key is taken from ----------------------------------------------------------

    @Test
    void keyIsAcceptedFromEachDefaultHeader() {
        Authenticator auth = authenticator(AuthMode.GATEWAY, KEY_A);

        for (Headers headers : List.of(
                Headers.of("Authorization", "Bearer " + KEY_A),
                Headers.of("authorization", "bearer  " + KEY_A + " "),
                Headers.of("x-api-key", KEY_A),
                Headers.of("X-Api-Key", " " + KEY_A),
                Headers.of("api-key", KEY_A))) {
            Credential credential = auth.authenticate(headers);
            assertThat(credential.usesConfiguredKey()).as("%s", headers).isTrue();
            assertThat(credential.forwardedKey()).isNull();
            assertThat(credential.clientLabel()).isEqualTo(Secrets.mask(KEY_A));
            assertThat(auth.isGatewayKey(headers)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic abc", "Token " + "x", "Bearer", "Bearer ", ""})
    void authorizationWithoutABearerKeyIsNoKey(String value) {
        Authenticator auth = authenticator(AuthMode.GATEWAY, KEY_A);

        GatewayException e = rejected(auth, Headers.of("Authorization", value));
        assertThat(e.getMessage()).contains("Missing API key");
    }

    @Test
    void authorizationWithoutBearerFallsThroughToTheOtherHeaders() {
        Authenticator auth = authenticator(AuthMode.GATEWAY, KEY_A);

        Credential credential = auth.authenticate(Headers.of("Authorization", "Basic Zm9vOmJhcg==", "x-api-key", KEY_A));

        assertThat(credential.usesConfiguredKey()).isTrue();
    }

    @Test
    void rawKeyInAuthorizationIsNotABearerKey() {
        assertThat(authenticator(AuthMode.GATEWAY, KEY_A).isGatewayKey(Headers.of("Authorization", KEY_A))).isFalse();
    }

    @Test
    void configuredHeaderIsTheOnlyOneThatCounts() {
        Authenticator auth = authenticator(AuthMode.GATEWAY, List.of("x-gateway-key"), KEY_A);

        assertThat(auth.authenticate(Headers.of("X-Gateway-Key", KEY_A)).usesConfiguredKey()).isTrue();
        rejected(auth, Headers.of("Authorization", "Bearer " + KEY_A));
        rejected(auth, Headers.of("x-api-key", KEY_A));
        GatewayException e = rejected(auth, Headers.of("api-key", KEY_A));
        assertThat(e.getMessage()).contains("x-gateway-key");
    }

    @Test
    void configuredAuthHeaderFromTheConfigFile(@TempDir Path dir) throws IOException {
        // auth.header: X-API-Key is lower-cased by the loader; then Authorization no longer counts.
        Path file = Files.writeString(dir.resolve("gateway.yaml"), "auth: { header: X-API-Key, keys: ['" + KEY_A + "'] }");
        GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "GATEWAY_MOCK", "1"));
        Authenticator auth = new Authenticator(config.auth());

        assertThat(auth.authenticate(Headers.of("X-API-Key", KEY_A)).usesConfiguredKey()).isTrue();
        rejected(auth, Headers.of("Authorization", "Bearer " + KEY_A));
        rejected(auth, Headers.of("api-key", KEY_A));
    }

    @Test
    void onlyAuthorizationConfiguredStillNeedsBearer() {
        Authenticator auth = authenticator(AuthMode.GATEWAY, List.of("authorization"), KEY_A);

        assertThat(auth.authenticate(Headers.of("Authorization", "Bearer " + KEY_A)).usesConfiguredKey()).isTrue();
        rejected(auth, Headers.of("Authorization", KEY_A));
    }

    @Test
    void missingKeyMessageListsTheAcceptedHeaders() {
        GatewayException e = rejected(authenticator(AuthMode.GATEWAY, KEY_A), new Headers());

        assertThat(e.getMessage()).contains("Authorization: Bearer").contains("x-api-key").contains("api-key");
        assertThat(e.error().code()).isEqualTo("invalid_api_key");
    }

    // ---- modes --------------------------------------------------------------------------------

    @Test
    void gatewayModeRejectsAWrongKeyWith401() {
        Authenticator auth = authenticator(AuthMode.GATEWAY, KEY_A);

        GatewayException e = rejected(auth, Headers.of("x-api-key", CLIENT_KEY));
        assertThat(e.getMessage()).contains("Invalid API key").doesNotContain(CLIENT_KEY).doesNotContain(KEY_A);
        rejected(auth, Headers.of("x-api-key", KEY_A + "x"));
        rejected(auth, Headers.of("x-api-key", KEY_A.substring(1)));
        rejected(auth, Headers.of("x-api-key", KEY_A.toUpperCase()));
        rejected(auth, new Headers());
    }

    @Test
    void gatewayModeUsesTheConfiguredUpstreamKey() {
        Credential credential = authenticator(AuthMode.GATEWAY, KEY_A).authenticate(Headers.of("api-key", KEY_A));

        assertThat(credential.forwardedKey()).isNull();
        assertThat(credential.usesConfiguredKey()).isTrue();
    }

    @Test
    void clientModeForwardsWhateverKeyIsPresented() {
        Authenticator auth = authenticator(AuthMode.CLIENT);

        Credential credential = auth.authenticate(Headers.of("Authorization", "Bearer " + CLIENT_KEY));

        assertThat(credential.forwardedKey()).isEqualTo(CLIENT_KEY);
        assertThat(credential.usesConfiguredKey()).isFalse();
        assertThat(credential.clientLabel()).isEqualTo("sk-cli...3333");
        assertThat(auth.hasGatewayKeys()).isFalse();
        assertThat(auth.isGatewayKey(Headers.of("Authorization", "Bearer " + CLIENT_KEY))).isFalse();
        rejected(auth, new Headers());
    }

    @Test
    void clientModeForwardsEvenAGatewayKey() {
        Credential credential = authenticator(AuthMode.CLIENT, KEY_A).authenticate(Headers.of("x-api-key", KEY_A));

        assertThat(credential.forwardedKey()).isEqualTo(KEY_A);
    }

    @Test
    void hybridModeUsesTheConfiguredKeyForAGatewayKeyAndForwardsAnyOther() {
        Authenticator auth = authenticator(AuthMode.HYBRID, KEY_A);

        Credential gateway = auth.authenticate(Headers.of("x-api-key", KEY_A));
        Credential other = auth.authenticate(Headers.of("x-api-key", CLIENT_KEY));

        assertThat(gateway.usesConfiguredKey()).isTrue();
        assertThat(gateway.forwardedKey()).isNull();
        assertThat(other.usesConfiguredKey()).isFalse();
        assertThat(other.forwardedKey()).isEqualTo(CLIENT_KEY);
        rejected(auth, new Headers());
        rejected(auth, Headers.of("x-api-key", "   "));
    }

    @ParameterizedTest
    @EnumSource(value = AuthMode.class, names = {"GATEWAY", "HYBRID"})
    void everyOneOfSeveralGatewayKeysIsAccepted(AuthMode mode) {
        Authenticator auth = authenticator(mode, KEY_A, KEY_B);

        assertThat(auth.hasGatewayKeys()).isTrue();
        assertThat(auth.authenticate(Headers.of("x-api-key", KEY_A)).usesConfiguredKey()).isTrue();
        assertThat(auth.authenticate(Headers.of("Authorization", "Bearer " + KEY_B)).usesConfiguredKey()).isTrue();
        assertThat(auth.isGatewayKey(Headers.of("api-key", KEY_B))).isTrue();
        assertThat(auth.isGatewayKey(Headers.of("api-key", CLIENT_KEY))).isFalse();
    }

    @Test
    void firstAcceptedHeaderWins() {
        Authenticator auth = authenticator(AuthMode.HYBRID, KEY_A);

        Credential credential = auth.authenticate(Headers.of("x-api-key", CLIENT_KEY, "Authorization", "Bearer " + KEY_A));

        // The default order is authorization, x-api-key, api-key.
        assertThat(credential.usesConfiguredKey()).isTrue();
    }

    // ---- Secrets ------------------------------------------------------------------------------

    @Test
    void maskIsFirstSixDotsLastFour() {
        assertThat(Secrets.mask("sk-proj-abcdefghijklmnop1234")).isEqualTo("sk-pro...1234");
        assertThat(Secrets.mask("abcdefghijklmnopqrst")).isEqualTo("abcdef...qrst");
        assertThat(Secrets.mask(KEY_A)).isEqualTo("gw-aaa...1111");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "short", "abcdefghijkl", "abcdefghijklmnopqrs"})
    void shortValuesAreHiddenEntirely(String secret) {
        String masked = Secrets.mask(secret);

        assertThat(masked).isEqualTo("****");
    }

    @Test
    void maskNeverRevealsTheWholeSecret() {
        for (int length = 1; length <= 64; length++) {
            String secret = "k".repeat(length - 1) + "Z";
            String masked = Secrets.mask(secret);
            assertThat(masked).as("length %d", length).doesNotContain(secret);
            // At most 10 characters are shown, never more than half of the secret.
            int shown = masked.replace("...", "").replace("*", "").length();
            assertThat(shown).as("shown characters, length %d", length).isLessThanOrEqualTo(Math.min(10, length / 2));
        }
    }

    @Test
    void maskOfNullIsNull() {
        assertThat(Secrets.mask(null)).isNull();
    }

    @Test
    void scrubReplacesEveryOccurrenceOfEverySecret() {
        String text = "upstream said: key " + CLIENT_KEY + " invalid; retry with " + KEY_A + " or " + CLIENT_KEY;

        String scrubbed = Secrets.scrub(text, CLIENT_KEY, null, KEY_A);

        assertThat(scrubbed).isEqualTo("upstream said: key sk-cli...3333 invalid; retry with gw-aaa...1111 or sk-cli...3333");
        assertThat(scrubbed).doesNotContain(CLIENT_KEY).doesNotContain(KEY_A);
    }

    @Test
    void scrubHidesMidLengthSecretsEntirely() {
        assertThat(Secrets.scrub("token=abcdefgh!", "abcdefgh")).isEqualTo("token=****!");
    }

    @Test
    void scrubLeavesTextWithoutSecretsAloneAndIgnoresTinySecrets() {
        assertThat(Secrets.scrub("nothing here", KEY_A)).isEqualTo("nothing here");
        assertThat(Secrets.scrub(null, KEY_A)).isNull();
        assertThat(Secrets.scrub("a b c", "a")).isEqualTo("a b c");
        assertThat(Secrets.scrub("text")).isEqualTo("text");
    }
}
