package io.llmgw.app;

import java.net.InetAddress;
import java.time.Duration;

/**
 * What the HTTP server ({@link GatewayServer}) is told: where to listen and the bounds it keeps on
 * every connection. The bounds that are not settings are the constants below.
 *
 * @param port           the port to listen on; 0 picks any free one ({@link GatewayServer#port()} says which)
 * @param address        the one address to listen on ({@code server.address}), or null for every interface
 * @param idleTimeout    how long a connection may go without a byte read or written while the server waits on
 *                       the client ({@code server.netty.idle-timeout}): an idle keep-alive connection is closed,
 *                       a request body that stops arriving is a 408, a client that stops reading its answer is cut
 * @param maxHeaderBytes the request line and the request headers may each be this long
 *                       ({@code server.max-http-request-header-size}); longer ones are a 414 or a 431
 * @param maxConnections connections served at once; beyond it the server stops accepting until one closes
 */
record ServerSettings(int port, InetAddress address, Duration idleTimeout, int maxHeaderBytes, int maxConnections) {
    /**
     * A response's bytes are gathered up to this size before they go to the connection, and a larger
     * write goes out as it is. A stream holds such a buffer only between a write and the flush after it
     * (every SSE event is flushed), and a whole answer carries its own Content-Length; SSE events are
     * far smaller (README › Memory per stream in flight).
     */
    static final int OUTPUT_BUFFER_BYTES = 2048;
    /**
     * Bytes queued on a connection beyond which a write waits for the client to read (back-pressure),
     * and the level below which it goes on. Large enough for a few SSE events in flight, small enough
     * that thousands of slow clients cannot pile up the upstreams' output in the heap.
     */
    static final int WRITE_HIGH_WATER_MARK = 32 * 1024;
    static final int WRITE_LOW_WATER_MARK = 8 * 1024;
    /**
     * Connections the kernel completes and queues before the server accepts them. The JDK's default
     * of 50 overflowed under a burst of new connections (thousands of clients starting streams at
     * once: 35 of 5,000 streams opened at 500 a second were reset, README › Memory per stream in flight).
     */
    static final int ACCEPT_QUEUE = 1024;
    /**
     * Connections served at once by default; beyond it the server stops accepting until one closes
     * (they wait in the accept queue). Each stream in flight is a connection, and at under 30 KB of
     * heap each (README › Memory per stream in flight) 8,192 fit in a 512 MB heap with room to spare.
     */
    static final int MAX_CONNECTIONS = 8192;
    /**
     * Requests served on pooled platform threads at once; more run on virtual threads
     * ({@link RequestThreads}). Each holds an OS thread and its stack (outside the heap) while busy
     * and for a minute after; a stream holds one only for its first 250 ms.
     */
    static final int PLATFORM_REQUEST_THREADS = 64;

    ServerSettings {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("server.netty.idle-timeout must be positive (got " + idleTimeout + ")");
        }
    }

    ServerSettings withMaxConnections(int max) {
        return new ServerSettings(port, address, idleTimeout, maxHeaderBytes, max);
    }
}
