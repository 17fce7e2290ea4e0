package io.llmgw.app;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.dialect.TranslationLimits;
import io.llmgw.core.LiveGateway;
import io.llmgw.core.secrets.SecretException;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.core.upstream.UpstreamTransport;
import io.llmgw.keyvault.KeyVault;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;

/**
 * The local process and container entry point: the gateway served by its own HTTP server
 * ({@link GatewayServer}, a Spring application without a servlet container), every request handed to
 * {@link Gateway}. Configuration is loaded and validated before Spring starts, so a bad value stops
 * the process with one clear message instead of a stack trace. With {@code KEY_VAULT_URI} set, Key
 * Vault's secrets are laid over the environment and read again when a key looks rotated. The AWS
 * Lambda HTTP API package runs this same application as a servlet application ({@link ServletGateway}).
 */
// No Spring error page (in the servlet application): it would forward failed requests to /error, which is not a gateway route.
@SpringBootApplication(excludeName = "org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration")
public class GatewayApplication {
    /** How long shutdown waits for requests in flight when SHUTDOWN_GRACE_PERIOD is not set. */
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);
    private static final String GRACE_PROPERTY = "gateway.shutdown-grace-period";

    /** Key Vault's variables and the environment they overlay, when {@code KEY_VAULT_URI} names a vault. */
    record VaultVariables(Function<String, String> env, SecretVariables secrets) {}

    public static void main(String[] args) {
        Function<String, String> env = System::getenv;
        GatewayConfig config;
        Duration grace;
        VaultVariables vault = null;
        try {
            // Spring sets up logging only when it starts; until then the Azure SDK would log at debug level.
            LoggingSystem.get(GatewayApplication.class.getClassLoader()).beforeInitialize();
            SecretVariables secrets = KeyVault.loadFromEnvironment(env, Clock.systemUTC());  // null without KEY_VAULT_URI
            if (secrets != null) {
                vault = new VaultVariables(env, secrets);
            }
            config = ConfigLoader.load(secrets == null ? env : SecretVariables.layered(env, secrets.values()));
            grace = shutdownGrace(env);
        } catch (ConfigException | SecretException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        start(config, vault, config.port(), grace, args);
    }

    /** Starts the application for {@code config}, listening on {@code port} (0 = any free port). */
    public static ConfigurableApplicationContext start(GatewayConfig config, int port, String... args) {
        return start(config, port, DEFAULT_SHUTDOWN_GRACE, args);
    }

    /** As {@link #start(GatewayConfig, int, String...)}, with how long shutdown waits for requests in flight. */
    public static ConfigurableApplicationContext start(GatewayConfig config, int port, Duration shutdownGrace, String... args) {
        return start(config, null, port, shutdownGrace, args);
    }

    static ConfigurableApplicationContext start(GatewayConfig config, VaultVariables vault, int port, Duration shutdownGrace,
                                                String... args) {
        SpringApplication app = new SpringApplication(GatewayApplication.class);
        // No servlet container: GatewayServer serves (ServerConfiguration), and Spring MVC, which it would
        // not use, is not started.
        app.setWebApplicationType(WebApplicationType.NONE);
        app.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("gatewayConfig", config);
            if (vault != null) {
                context.getBeanFactory().registerSingleton("vaultVariables", vault);
            }
            // The gateway's own port setting (PORT, HOST_PORT, GATEWAY_PORT, server.port) beats Spring's.
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("gateway", Map.of(
                    "server.port", port,
                    GRACE_PROPERTY, shutdownGrace.toMillis() + "ms")));
        });
        return app.run(args);
    }

    /**
     * SHUTDOWN_GRACE_PERIOD: how long a SIGTERM waits for streams in flight ({@code 25s},
     * {@code 2m}, or a number of seconds; {@code 0} stops at once). Keep it below the platform's
     * own stop timeout (ECS and Kubernetes: 30 s, {@code docker stop}: 10 s), which ends in SIGKILL.
     */
    static Duration shutdownGrace(Function<String, String> env) {
        String value = env.apply("SHUTDOWN_GRACE_PERIOD");
        if (value == null || value.isBlank()) {
            return DEFAULT_SHUTDOWN_GRACE;
        }
        Duration grace;
        try {
            grace = DurationStyle.detectAndParse(value.trim(), ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("SHUTDOWN_GRACE_PERIOD: '" + value + "' is not a duration; write e.g. 25s, 2m or 0");
        }
        if (grace.isNegative()) {
            throw new ConfigException("SHUTDOWN_GRACE_PERIOD: must not be negative (got '" + value + "')");
        }
        return grace;
    }

    @Bean
    PrometheusMetrics prometheusMetrics() {
        return new PrometheusMetrics();
    }

    @Bean(destroyMethod = "close")
    LiveGateway gateway(GatewayConfig gatewayConfig, PrometheusMetrics metrics, ObjectProvider<VaultVariables> vaultVariables,
                        ObjectProvider<UpstreamTransport> transport) {
        // the server's event-loop transport where this process serves through its own server; else the blocking client
        UpstreamTransport network = transport.getIfAvailable();
        LiveGateway.Factory factory = (config, events) -> {
            Gateway gateway = new Gateway(config, Gateway.Options.defaults().withMetrics(metrics).withEvents(events)
                    .withTransport(network));
            gateway.startHealthChecks();
            return gateway;
        };
        VaultVariables vault = vaultVariables.getIfAvailable();
        LiveGateway live = vault == null ? LiveGateway.fixed(gatewayConfig, factory) : new LiveGateway(vault.env(), vault.secrets(), factory);
        if (vault != null) {
            LoggerFactory.getLogger(GatewayApplication.class).atInfo().setMessage("configuration variables from Key Vault")
                    .addKeyValue("source", vault.secrets().name())
                    .addKeyValue("keys", String.join(",", new TreeSet<>(vault.secrets().values().keySet()))).log();
        }
        metrics.bind(live::current);
        TranslationLimits.log(gatewayConfig);  // once here, instead of a warning on every request
        return live;
    }

    @Bean
    GracefulDrain gracefulDrain(LiveGateway gateway, @Value("${" + GRACE_PROPERTY + ":25s}") Duration grace) {
        return new GracefulDrain(gateway::current, grace);
    }
}
