package io.llmgw.azure.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.CredentialUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.state.StateStoreException;
import io.llmgw.state.redis.RedisCredentialsSource;
import java.io.IOException;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code state.auth: entra}: the Redis store signs in to Azure Managed Redis (or Azure Cache for
 * Redis) with Microsoft Entra ID tokens of the app's identity — the user name is the token's
 * {@code oid} claim (the identity's object id, which the database's access policy assignment
 * names), the password the token itself. The Redis store finds this class through its service
 * loader and renews the token before it expires. The Azure credential is built on the first fetch.
 */
public final class EntraRedisCredentials implements RedisCredentialsSource {
    /** The scope Azure's Redis services accept tokens for. */
    public static final String SCOPE = "https://redis.azure.com/.default";
    private static final String SETTING = "state.auth entra (GATEWAY_REDIS_AUTH)";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Anything shaped like a JWT, cut out of the identity library's messages before they are passed on. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]*)?");

    private final Supplier<TokenCredential> credentials;
    private TokenCredential credential;

    /** The identity of this process's environment ({@link AzureCredentials#fromEnvironment()}). */
    public EntraRedisCredentials() {
        this(AzureCredentials::fromEnvironment);
    }

    /** With the credential {@code credentials} makes, on the first fetch. */
    EntraRedisCredentials(Supplier<TokenCredential> credentials) {
        this.credentials = credentials;
    }

    @Override
    public String auth() {
        return "entra";
    }

    @Override
    public Token fetch() {
        AccessToken token;
        try {
            token = credential().getTokenSync(new TokenRequestContext().addScopes(SCOPE));
        } catch (RuntimeException e) {
            throw failure(e);
        }
        if (token == null || token.getToken() == null || token.getToken().isBlank() || token.getExpiresAt() == null) {
            throw new StateStoreException(SETTING + ": the Azure credential returned no token for " + SCOPE, null);
        }
        return new Token(objectId(token.getToken()), token.getToken(), token.getExpiresAt().toInstant());
    }

    private synchronized TokenCredential credential() {
        if (credential == null) {
            credential = credentials.get();
        }
        return credential;
    }

    /**
     * The token's {@code oid} claim. The token is read, not verified: it comes from the identity
     * endpoint over the platform's own channel, and Redis verifies it. Failures carry no part of it.
     */
    static String objectId(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        JsonNode claims = null;
        if (parts.length == 3) {
            try {
                claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            } catch (IllegalArgumentException | IOException e) {
                claims = null;  // its message may quote the token
            }
        }
        if (claims == null || !claims.isObject()) {
            throw new StateStoreException(SETTING + ": the token for " + SCOPE + " is not a JWT, so it names no user; "
                    + "the credential is not a Microsoft Entra ID one", null);
        }
        JsonNode oid = claims.get("oid");
        if (oid == null || !oid.isTextual() || oid.asText().isBlank()) {
            throw new StateStoreException(SETTING + ": the token for " + SCOPE + " has no oid claim, which Redis takes as the "
                    + "user name; use a managed identity, a service principal or a user sign-in of Microsoft Entra ID", null);
        }
        return oid.asText();
    }

    private static StateStoreException failure(RuntimeException e) {
        String reason = JWT.matcher(AzureCredentials.firstLine(e)).replaceAll("***");
        if (e instanceof CredentialUnavailableException) {
            return new StateStoreException(SETTING + ": no Azure credential for a Redis token (" + reason + "); on Azure, give the app "
                    + "a managed identity and, for a user-assigned one, set AZURE_CLIENT_ID to its client id; elsewhere sign in "
                    + "with az login or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET", null);
        }
        return new StateStoreException(SETTING + ": could not get a token for " + SCOPE + " (" + reason + "); check the app's "
                + "managed identity and AZURE_CLIENT_ID", null);
    }
}
