package io.llmgw.azure;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.LiveGateway;
import io.llmgw.core.secrets.SecretException;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.keyvault.KeyVault;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The Spring configuration spring-cloud-function-adapter-azure starts on the first invocation
 * (named by {@code Start-Class} in the function jar's manifest): the gateway and the function
 * class, nothing else — no auto-configuration, no component scan, so the context costs little of
 * the cold start.
 */
@SpringBootConfiguration
public class AzureGatewayApplication {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(AzureGatewayApplication.class);
    }

    @Bean(destroyMethod = "close")
    LiveGateway liveGateway() {
        return gateway(System::getenv, Clock.systemUTC());
    }

    @Bean
    GatewayFunctions gatewayFunctions(LiveGateway liveGateway) {
        return new GatewayFunctions(liveGateway, GatewayFunctions.REFRESH_IN_BACKGROUND);
    }

    /**
     * The gateway from the app settings, with Key Vault's secrets laid over them when
     * {@code KEY_VAULT_URI} names a vault. A bad setting is logged as one line naming it and the
     * fix, and fails the invocation (there is no process to stop on Functions; the next
     * invocation tries again, so fixing the setting is enough).
     */
    static LiveGateway gateway(Function<String, String> env, Clock clock) {
        try {
            SecretVariables secrets = KeyVault.loadFromEnvironment(env, clock);
            // No active health checks: an instance between invocations should not call upstreams.
            return new LiveGateway(env, secrets, (config, events) -> new Gateway(config, Gateway.Options.defaults().withEvents(events)));
        } catch (ConfigException | SecretException e) {
            Log.LOG.error("Configuration error: {}", e.getMessage());
            throw e;
        }
    }
}
