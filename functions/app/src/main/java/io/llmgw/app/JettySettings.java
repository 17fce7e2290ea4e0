package io.llmgw.app;

import io.llmgw.core.LiveGateway;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * What the app asks of Jetty beyond Spring Boot's properties. Only where Jetty is on the class
 * path: the Lambda HTTP API package runs the same application without it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Server.class)
class JettySettings {
    /**
     * The servlet response buffer: a response up to this size is sent in one write, larger ones in
     * pieces of it. Jetty takes it from a pool while a response is being written and holds it until
     * the response ends, so with thousands of streams open it is per stream; SSE events are far
     * smaller, and a whole answer carries its own Content-Length.
     */
    static final int OUTPUT_BUFFER_BYTES = 2048;
    /**
     * Platform threads for Jetty's acceptor and selectors (and nothing else: requests run on
     * {@link RequestThreads}). Spring Boot would run the selectors on virtual threads too, where each
     * select() occupies a carrier and costs a hand-off per wake-up (measured: ~10 % more CPU per
     * request, docs/decisions.md).
     */
    static final int IO_THREADS = 8;
    /**
     * Requests served on pooled platform threads at once; more run on virtual threads
     * ({@link RequestThreads}). Each holds an OS thread and its stack (outside the heap) while busy
     * and for a minute after; a stream holds one only for its first 250 ms.
     */
    static final int PLATFORM_REQUEST_THREADS = 64;
    /**
     * Connections the kernel completes and queues before Jetty accepts them. Jetty's default leaves
     * it to the JDK, which asks for 50: a burst of new connections (thousands of clients starting
     * streams at once) on a busy instance overflowed it and some connections were reset (measured:
     * 35 of 5,000 streams opened at 500 a second, README › Memory per stream in flight).
     */
    static final int ACCEPT_QUEUE = 1024;
    /**
     * Connections served at once; beyond it Jetty stops accepting until one closes (they wait in
     * the accept queue). Tomcat's default, which the app had before; each stream in flight is a
     * connection, and at under 30 KB of heap each (README › Memory per stream in flight) 8,192 fit in
     * a 512 MB heap with room to spare.
     */
    static final int MAX_CONNECTIONS = 8192;

    @Bean
    ConnectionWatch.Factory jettyConnectionWatch() {
        return JettyConnectionWatch::of;
    }

    /** Ordered after Spring Boot's customizers, whose virtual-thread pool this one replaces. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<JettyServletWebServerFactory> leanJetty(ObjectProvider<LiveGateway> gateway) {
        return factory -> {
            RequestThreads requests = new RequestThreads(PLATFORM_REQUEST_THREADS);
            QueuedThreadPool io = new QueuedThreadPool(IO_THREADS, 2) {
                /**
                 * A connection whose response ended after its handler's thread had left (a stream relayed on a
                 * thread of its own) is resumed with this pool's execute, and parses and runs the connection's
                 * next request on the thread it is given: one of these few I/O threads, blocked for as long as
                 * that request lasts. It runs where every request runs instead.
                 */
                @Override
                public void execute(Runnable job) {
                    if (job instanceof HttpConnection) {
                        requests.execute(job);
                    } else {
                        super.execute(job);
                    }
                }
            };
            io.setName("jetty-io");
            // Jetty hands blocking work (each request) to this executor and keeps its own threads for I/O.
            io.setVirtualThreadsExecutor(requests);
            factory.setThreadPool(io);
            factory.addServerCustomizers(server -> {
                server.addBean(new ConnectionLimit(MAX_CONNECTIONS, server));
                // The app serves no files, so no path needs hiding; Jetty checks every request against its
                // protected targets (/WEB-INF, /META-INF) and asks its index whether it is empty by listing
                // every key: 2.5 % of the gateway's CPU samples at one connection (README › Benchmarks).
                // Those paths get the gateway's own 404 instead.
                server.getDescendants(ContextHandler.class).forEach(context -> context.setProtectedTargets(null));
                // What Jetty answers itself, before a request reaches the servlet. The servlet never fails:
                // the gateway answers its own failures (a 500 in the client's format).
                server.setErrorHandler(new JsonErrorHandler(() -> gateway.getObject().current()));
                for (Connector connector : server.getConnectors()) {
                    if (connector instanceof ServerConnector network) {
                        network.setAcceptQueueSize(ACCEPT_QUEUE);
                    }
                    HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                    if (http != null) {
                        HttpConfiguration config = http.getHttpConfiguration();
                        config.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
                        config.setOutputAggregationSize(OUTPUT_BUFFER_BYTES);
                        config.setSendServerVersion(false);
                    }
                }
            });
        };
    }
}
