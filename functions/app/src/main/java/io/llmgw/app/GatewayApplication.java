package io.llmgw.app;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.dialect.TranslationLimits;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;

/**
 * The local process and container entry point: one servlet handing every request to
 * {@link Gateway}. Configuration is loaded and validated before Spring starts, so a bad value
 * stops the process with one clear message instead of a stack trace.
 */
// No Spring error page: it would forward failed requests to /error, which is not a gateway route.
@SpringBootApplication(exclude = ErrorMvcAutoConfiguration.class)
@Import(TomcatSettings.class)
public class GatewayApplication {

    public static void main(String[] args) {
        GatewayConfig config;
        try {
            config = ConfigLoader.load(System::getenv);
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        start(config, config.port(), args);
    }

    /** Starts the application for {@code config}, listening on {@code port} (0 = any free port). */
    public static ConfigurableApplicationContext start(GatewayConfig config, int port, String... args) {
        SpringApplication app = new SpringApplication(GatewayApplication.class);
        app.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("gatewayConfig", config);
            // The gateway's own port setting (PORT, HOST_PORT, GATEWAY_PORT, server.port) beats Spring's.
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("gateway", Map.of("server.port", port)));
        });
        return app.run(args);
    }

    @Bean
    PrometheusMetrics prometheusMetrics() {
        return new PrometheusMetrics();
    }

    @Bean(destroyMethod = "close")
    Gateway gateway(GatewayConfig gatewayConfig, PrometheusMetrics metrics) {
        Gateway gateway = new Gateway(gatewayConfig, Gateway.Options.defaults().withMetrics(metrics));
        metrics.bind(() -> gateway);
        gateway.startHealthChecks();
        TranslationLimits.log(gatewayConfig);  // once here, instead of a warning on every request
        return gateway;
    }

    @Bean
    ServletRegistrationBean<GatewayServlet> gatewayServlet(Gateway gateway, ObjectProvider<ConnectionWatch.Factory> watches) {
        ConnectionWatch.Factory watch = watches.getIfAvailable(() -> request -> ConnectionWatch.NONE);
        ServletRegistrationBean<GatewayServlet> registration = new ServletRegistrationBean<>(new GatewayServlet(gateway, watch), "/*");
        registration.setName("gateway");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
