package io.llmgw.core.config;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Who may call and how much: virtual keys and JWT identities with their allowed models, rate
 * limits and budgets; limits per team, per client address, per model and for the whole gateway;
 * the state store those limits are kept in; the price table costs come from. Plain gateway keys
 * ({@code auth.keys}, {@code PROXY_API_KEY}) stay keys without limits.
 *
 * @param failClosed refuse requests (503) when the state store cannot be reached, instead of
 *                   admitting them with a warning metric
 */
public record AccessConfig(
        List<VirtualKey> virtualKeys,
        Jwt jwt,
        Map<String, Policy> teams,
        Limits global,
        Limits perClientIp,
        List<String> trustedProxies,
        Map<String, Limits> perModel,
        boolean failClosed,
        State state,
        Map<String, Price> prices) {

    public static AccessConfig none() {
        return new AccessConfig(List.of(), null, Map.of(), Limits.NONE, Limits.NONE, List.of(), Map.of(), false, State.MEMORY, Map.of());
    }

    /** Whether any limit or budget is configured, so the limit filters have work to do. */
    public boolean limitsAnything() {
        return global.any() || perClientIp.any() || perModel.values().stream().anyMatch(Limits::any)
                || teams.values().stream().anyMatch(Policy::limited)
                || virtualKeys.stream().anyMatch(k -> k.policy().limited())
                || jwt != null && jwt.policy().limited();
    }

    /**
     * What an identity may do.
     *
     * @param models globs of the model names it may call ({@code *} matches any run of characters); empty for all
     */
    public record Policy(List<String> models, Limits limits, Budget budget) {
        public static final Policy UNRESTRICTED = new Policy(List.of(), Limits.NONE, Budget.NONE);

        public boolean limited() {
            return limits.any() || budget.any();
        }
    }

    /**
     * Rate limits; 0 means no limit of that kind.
     *
     * @param requestsPerMinute requests admitted per minute on average
     * @param burst             requests admitted at once after a quiet spell (the bucket's capacity);
     *                          0 means the same as {@code requestsPerMinute}
     * @param tokensPerMinute   input plus output tokens per minute: estimated before the call, settled after
     * @param concurrent        requests in flight at once
     */
    public record Limits(int requestsPerMinute, int burst, long tokensPerMinute, int concurrent) {
        public static final Limits NONE = new Limits(0, 0, 0, 0);

        public boolean any() {
            return requestsPerMinute > 0 || tokensPerMinute > 0 || concurrent > 0;
        }

        /** The request bucket's capacity. */
        public int requestCapacity() {
            return burst > 0 ? burst : requestsPerMinute;
        }
    }

    /** Spend allowed per period; 0 means no budget of that kind. */
    public record Budget(double usd, long tokens, Period period) {
        public static final Budget NONE = new Budget(0, 0, Period.MONTH);

        public boolean any() {
            return usd > 0 || tokens > 0;
        }
    }

    /** Budget periods, in UTC: a day starts at 00:00, a month on its first day. */
    public enum Period { DAY, MONTH }

    /**
     * A named key with an identity. The configuration holds the key's SHA-256, never needing the key
     * itself (a key given in clear is hashed at load).
     *
     * @param team    the owner or team label, or null
     * @param expires when the key stops working, or null for never
     */
    public record VirtualKey(String name, byte[] keySha256, String team, Policy policy, Instant expires) {}

    /**
     * OpenID Connect / JWT bearer tokens as a second way in.
     *
     * @param identityClaim the claim naming the caller ({@code sub}, or {@code oid} for Entra ID)
     * @param teamClaim     the claim naming the team ({@code groups}, {@code roles}: its first value), or null
     * @param policy        the allowed models, limits and budget of every token's identity
     */
    public record Jwt(String issuer, List<String> audiences, URI jwksUrl, List<String> algorithms, Duration clockSkew,
                      String identityClaim, String teamClaim, Policy policy) {}

    /**
     * Where shared state lives.
     *
     * @param store   {@code memory}, {@code redis} or {@code dynamodb}
     * @param options the store's own settings (url, table, region, endpoint, prefix), by their configuration names
     */
    public record State(String store, Map<String, String> options) {
        public static final State MEMORY = new State("memory", Map.of());
    }

    /** US dollars per million tokens of each kind; cache prices default to the input price. */
    public record Price(double inputPerMtok, double outputPerMtok, double cacheReadPerMtok, double cacheWritePerMtok) {}
}
