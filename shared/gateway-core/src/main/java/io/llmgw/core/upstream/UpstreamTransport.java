package io.llmgw.core.upstream;

import java.util.function.Consumer;

/**
 * Sends upstream requests and pushes their answers to an {@link UpstreamListener} as the bytes
 * arrive, instead of handing the caller a stream to block on. Two transports implement it: one that
 * reads on the caller's own thread (Apache's blocking client, for platforms that serve a request on a
 * thread of its own) and one whose reads complete on an event loop. The relay and the attempt loop are
 * written against this port only (docs/architecture.md › The upstream exchange).
 */
public interface UpstreamTransport {
    /**
     * Starts the exchange. Before anything is sent, {@code cancellation} is handed what aborts it from
     * any thread (a client that went away); the listener then hears {@link UpstreamListener#onFailure}
     * unless it heard {@code onEnd} already. The request timeout covers the whole exchange: when it
     * passes, the connection is closed and the listener hears {@code onFailure} with
     * {@code deadlinePassed}. The listener's calls for one exchange never overlap; they may come on the
     * caller's thread before this returns (a transport that reads on it, up to
     * {@link UpstreamExchange#pause}) or on the transport's own.
     */
    void send(UpstreamRequest request, Consumer<Runnable> cancellation, UpstreamListener listener);
}
