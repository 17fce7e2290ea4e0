package io.llmgw.state.redis;

import java.time.Instant;
import java.util.Objects;

/**
 * A way to sign in to Redis with short-lived tokens instead of a password in the URL, chosen by
 * {@code state.auth} (or {@code GATEWAY_REDIS_AUTH}). Modules provide one in
 * {@code META-INF/services/io.llmgw.state.redis.RedisCredentialsSource} — the Azure module provides
 * {@code entra} (Microsoft Entra ID tokens for Azure Managed Redis) — so this module needs none of
 * the libraries a token comes from. The store asks for a token when it first connects and again
 * before the one it holds expires, and sends it to the server on the live connection.
 */
public interface RedisCredentialsSource {
    /** The {@code state.auth} value that chooses this source, e.g. {@code entra}. */
    String auth();

    /**
     * A fresh token; blocks while it is fetched.
     *
     * @throws io.llmgw.core.state.StateStoreException when none can be had, with a message that names
     *         the setting and the fix and holds no secret
     */
    Token fetch();

    /**
     * What the store sends in {@code AUTH <user> <secret>}.
     *
     * @param user      the ACL user name (for Entra ID: the identity's object id)
     * @param secret    the password (the token itself); never printed
     * @param expiresAt when the server stops accepting it
     */
    record Token(String user, String secret, Instant expiresAt) {
        public Token {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "Token[user=" + user + ", expiresAt=" + expiresAt + "]";
        }
    }
}
