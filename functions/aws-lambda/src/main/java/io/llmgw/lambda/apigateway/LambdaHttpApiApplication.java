package io.llmgw.lambda.apigateway;

import io.llmgw.app.GatewayApplication;
import io.llmgw.core.config.GatewayConfig;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * functions/app as it runs inside aws-serverless-java-container: the same application class (its
 * servlet, routes and behaviour), given a configuration the handler loaded and validated before
 * Spring started, so a bad setting fails init with the gateway's own one-line message.
 */
@Configuration(proxyBeanMethods = false)
@Import(GatewayApplication.class)
@PropertySource("classpath:lambda-http-api.properties")
public class LambdaHttpApiApplication {
    /**
     * The handoff from {@link HttpApiHandler} to the Spring context it starts: the container
     * builder takes a class, not an instance, so the loaded configuration cannot be passed in.
     */
    static final AtomicReference<GatewayConfig> CONFIG = new AtomicReference<>();

    @Bean
    GatewayConfig gatewayConfig() {
        GatewayConfig config = CONFIG.get();
        if (config == null) {
            throw new IllegalStateException("start this application through HttpApiHandler, which loads its configuration");
        }
        return config;
    }
}
