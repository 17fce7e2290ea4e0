package io.llmgw.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.state.redis.RedisCredentialsSource;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The entra source with a credential standing in for the identity library: which scope it asks
 * for, the user it names (the token's oid), and what it says — never the token — when there is no
 * credential or the token names no user. {@link EntraRedisTest} runs it with the real library.
 */
class EntraRedisCredentialsTest {
    private static final OffsetDateTime EXPIRES = OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
    private final List<TokenRequestContext> asked = new ArrayList<>();

    private static String jwt(String claims) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    private EntraRedisCredentials source(Function<TokenRequestContext, AccessToken> answer) {
        TokenCredential credential = new TokenCredential() {
            @Override
            public Mono<AccessToken> getToken(TokenRequestContext request) {
                return Mono.fromCallable(() -> getTokenSync(request));
            }

            @Override
            public AccessToken getTokenSync(TokenRequestContext request) {
                asked.add(request);
                return answer.apply(request);
            }
        };
        return new EntraRedisCredentials(() -> credential);
    }

    @Test
    void theTokenForRedisSignsInAsTheIdentitysObjectId() {
        String token = jwt("{\"aud\":\"https://redis.azure.com\",\"oid\":\"5f0c2a9e-1111-2222-3333-444455556666\",\"tid\":\"t\"}");
        RedisCredentialsSource.Token fetched = source(request -> new AccessToken(token, EXPIRES)).fetch();

        assertThat(fetched.user()).isEqualTo("5f0c2a9e-1111-2222-3333-444455556666");
        assertThat(fetched.secret()).isEqualTo(token);
        assertThat(fetched.expiresAt()).isEqualTo(EXPIRES.toInstant());
        assertThat(fetched.toString()).doesNotContain(token);
        assertThat(asked).singleElement().satisfies(request -> assertThat(request.getScopes()).containsExactly("https://redis.azure.com/.default"));
    }

    @Test
    void aTokenWithoutAnOidOrNotAJwtIsRefusedWithoutQuotingIt() {
        String noOid = jwt("{\"aud\":\"https://redis.azure.com\",\"sub\":\"someone\"}");
        assertThatThrownBy(() -> source(request -> new AccessToken(noOid, EXPIRES)).fetch())
                .isInstanceOf(StateStoreException.class)
                .hasMessageStartingWith("state.auth entra (GATEWAY_REDIS_AUTH): the token for https://redis.azure.com/.default has no oid claim")
                .hasMessageNotContaining(noOid)
                .hasNoCause();
        String opaque = "opaque-secret-token-0123456789";
        assertThatThrownBy(() -> source(request -> new AccessToken(opaque, EXPIRES)).fetch())
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("is not a JWT")
                .hasMessageNotContaining(opaque)
                .hasNoCause();
        String badJson = "eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"oid\": tru".getBytes()) + ".x";
        assertThatThrownBy(() -> source(request -> new AccessToken(badJson, EXPIRES)).fetch())
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("is not a JWT")
                .hasNoCause();
    }

    @Test
    void noCredentialNamesWhatToSetUp() {
        assertThatThrownBy(() -> source(request -> {
            throw new CredentialUnavailableException("EnvironmentCredential authentication unavailable.\nManagedIdentityCredential: no endpoint");
        }).fetch())
                .isInstanceOf(StateStoreException.class)
                .hasMessage("state.auth entra (GATEWAY_REDIS_AUTH): no Azure credential for a Redis token (EnvironmentCredential "
                        + "authentication unavailable.); on Azure, give the app a managed identity and, for a user-assigned one, set "
                        + "AZURE_CLIENT_ID to its client id; elsewhere sign in with az login or set AZURE_TENANT_ID, AZURE_CLIENT_ID "
                        + "and AZURE_CLIENT_SECRET");
    }

    @Test
    void aRefusalIsPassedOnWithAnyTokenInItCutOut() {
        String leaked = jwt("{\"oid\":\"x\"}");
        assertThatThrownBy(() -> source(request -> {
            throw new ClientAuthenticationException("Managed identity endpoint answered 400: " + leaked + " is not valid", null);
        }).fetch())
                .isInstanceOf(StateStoreException.class)
                .hasMessage("state.auth entra (GATEWAY_REDIS_AUTH): could not get a token for https://redis.azure.com/.default "
                        + "(Managed identity endpoint answered 400: *** is not valid); check the app's managed identity and AZURE_CLIENT_ID")
                .hasNoCause();
    }

    @Test
    void theRedisStoreFindsItAsEntra() {
        assertThat(ServiceLoader.load(RedisCredentialsSource.class)).anySatisfy(source -> {
            assertThat(source).isInstanceOf(EntraRedisCredentials.class);
            assertThat(source.auth()).isEqualTo("entra");
        });
    }
}
