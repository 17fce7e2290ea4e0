package io.llmgw.state.redis;

import java.time.Duration;
import java.time.Instant;

/**
 * A token source registered for this module's tests ({@code state.auth: fixed-test}), so the store
 * finds a source through the service loader as it finds the Azure module's {@code entra}: one user
 * and one token, valid for an hour from each fetch.
 */
public final class FixedTestTokens implements RedisCredentialsSource {
    static final String AUTH = "fixed-test";
    static final String USER = "fixed-test-user";
    static final String SECRET = "fixed-test-token-5f1e0c9a2b";

    @Override
    public String auth() {
        return AUTH;
    }

    @Override
    public Token fetch() {
        return new Token(USER, SECRET, Instant.now().plus(Duration.ofHours(1)));
    }
}
