package io.llmgw.app;

import io.llmgw.core.LiveGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application as a servlet application: inside aws-serverless-java-container (the AWS Lambda HTTP
 * API package), which dispatches each API Gateway event through Spring's servlet machinery to this one
 * servlet. The local process and the container are not servlet applications ({@link ServerConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ServletGateway {
    @Bean
    ServletRegistrationBean<GatewayServlet> gatewayServlet(LiveGateway gateway) {
        ServletRegistrationBean<GatewayServlet> registration = new ServletRegistrationBean<>(new GatewayServlet(gateway), "/*");
        registration.setName("gateway");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
