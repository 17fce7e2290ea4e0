package io.llmgw.state.redis;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.state.StateStore;
import io.llmgw.core.state.StateStoreFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code state: {store: redis, url: ..., prefix: ..., timeout: ..., auth: ...}}, or
 * {@code GATEWAY_REDIS_URL} and {@code GATEWAY_REDIS_AUTH}. A token {@code auth} is looked up among
 * the {@link RedisCredentialsSource}s on the class path.
 */
public final class RedisStateStoreFactory implements StateStoreFactory {
    /** The module that provides {@code entra}, named in the message when it is missing. */
    private static final String ENTRA = "entra";

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public Set<String> options() {
        return RedisSettings.OPTIONS;
    }

    @Override
    public StateStore open(Map<String, String> options) {
        String auth = RedisSettings.auth(options);
        RedisCredentialsSource source = auth.equals(RedisSettings.PASSWORD_AUTH) ? null : source(auth);
        return new RedisStateStore(RedisSettings.from(options), source);
    }

    private static RedisCredentialsSource source(String auth) {
        Set<String> available = new TreeSet<>(Set.of(RedisSettings.PASSWORD_AUTH));
        for (RedisCredentialsSource source : ServiceLoader.load(RedisCredentialsSource.class, RedisCredentialsSource.class.getClassLoader())) {
            if (source.auth().equals(auth)) {
                return source;
            }
            available.add(source.auth());
        }
        if (auth.equals(ENTRA)) {
            throw new ConfigException(RedisSettings.AUTH_SOURCE + ": entra needs the Azure module (io.llmgw:gateway-keyvault), "
                    + "which this build does not include; run the app image or the Azure Functions package (both include it), "
                    + "add gateway-keyvault to this platform's dependencies, or sign in with a password in state.url and "
                    + "state.auth: " + RedisSettings.PASSWORD_AUTH);
        }
        throw new ConfigException(RedisSettings.AUTH_SOURCE + ": '" + auth + "' is not available in this build; use one of "
                + String.join(", ", available) + (available.contains(ENTRA) ? "" : " (entra comes with the Azure module, gateway-keyvault)"));
    }
}
