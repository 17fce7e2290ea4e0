package io.llmgw.app;

import io.llmgw.core.LiveGateway;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.AbstractProtocol;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * What the app asks of Tomcat beyond Spring Boot's properties. Only where Tomcat is on the class
 * path: the Lambda HTTP API package runs the same application without it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Tomcat.class)
class TomcatSettings {
    /** Finished request processors (and channels) Tomcat keeps for reuse; a miss costs one allocation. */
    static final int PROCESSOR_CACHE = 16;
    /**
     * The socket's application read and write buffers (8 KB each by default), held per connection.
     * Request bodies are read in pieces of this size and SSE events are far smaller than it; the
     * request line and headers have their own buffer ({@code server.max-http-request-header-size}).
     */
    static final int SOCKET_BUFFER_BYTES = 4096;

    @Bean
    ConnectionWatch.Factory tomcatConnectionWatch() {
        return TomcatConnectionWatch::of;
    }

    /**
     * Tomcat's own error pages become the gateway's JSON ({@link ContainerErrorValve}), and requests
     * carry what {@link ConnectionWatch} needs. Ordered
     * after Spring Boot's customizer, which adds a plain ErrorReportValve that this one replaces.
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonContainerErrors(ObjectProvider<LiveGateway> gateway) {
        return factory -> {
            factory.setProtocol(LeanHttp11NioProtocol.class.getName());
            factory.addConnectorCustomizers(connector -> {
                // Each idle processor, and each cached channel (which can keep its last processor reachable), holds
                // ~100 KB of buffers: a burst of connections must not leave them all behind.
                if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                    protocol.setProcessorCache(PROCESSOR_CACHE);
                }
                connector.setProperty("socket.bufferPool", Integer.toString(PROCESSOR_CACHE));
                connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
                connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
            });
            factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ContainerErrorValve.class.getName());
                host.getPipeline().addValve(new ContainerErrorValve(() -> gateway.getObject().current()));
                host.getPipeline().addValve(new TomcatConnectionWatch.Valve());
                // Spring Boot adds its own ErrorReportValve while configuring the context; once started, only ours remains.
                context.addLifecycleListener(event -> {
                    if (Lifecycle.AFTER_START_EVENT.equals(event.getType())) {
                        for (Valve valve : host.getPipeline().getValves()) {
                            if (valve instanceof ErrorReportValve && !(valve instanceof ContainerErrorValve)) {
                                host.getPipeline().removeValve(valve);
                            }
                        }
                    }
                });
            }
        });
        };
    }

}
