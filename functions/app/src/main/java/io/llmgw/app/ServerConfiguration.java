package io.llmgw.app;

import io.llmgw.core.LiveGateway;
import io.llmgw.core.upstream.UpstreamTransport;
import io.llmgw.netty.NettyUpstreamTransport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * The local process and the container ({@link GatewayApplication#start}, a non-web Spring application):
 * the gateway served by its own HTTP server. Inside the AWS Lambda HTTP API package the application is a
 * servlet application and {@link ServletGateway} serves instead; no class of this server loads there.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnNotWebApplication
class ServerConfiguration {
    @Bean(destroyMethod = "close")
    EventLoops eventLoops() {
        return new EventLoops();
    }

    /** Upstream calls on the server's own loops: a request read on a loop is sent and answered there. */
    @Bean(destroyMethod = "close")
    UpstreamTransport upstreamTransport(EventLoops loops) {
        return new NettyUpstreamTransport(loops.group());
    }

    @Bean
    GatewayServer gatewayServer(LiveGateway gateway, EventLoops loops,
                                @Value("${server.port:8080}") int port,
                                @Value("${server.address:}") String address,
                                @Value("${server.netty.idle-timeout:30s}") Duration idleTimeout,
                                @Value("${server.max-http-request-header-size:16KB}") DataSize maxHeader) throws UnknownHostException {
        return new GatewayServer(gateway, new ServerSettings(port, address.isBlank() ? null : InetAddress.getByName(address.trim()),
                idleTimeout, (int) maxHeader.toBytes(), ServerSettings.MAX_CONNECTIONS), loops);
    }
}
