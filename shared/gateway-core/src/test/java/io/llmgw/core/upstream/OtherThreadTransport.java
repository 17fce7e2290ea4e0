package io.llmgw.core.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A transport whose answers arrive on a thread of its own, never on the one that sent the request —
 * as an event loop's do: the blocking client, run on a new thread per exchange.
 */
public final class OtherThreadTransport implements UpstreamTransport, AutoCloseable {
    public static final String THREAD_NAME = "other-thread-transport";
    private final UpstreamClient client = new UpstreamClient();
    private final AtomicInteger exchanges = new AtomicInteger();

    @Override
    public void send(UpstreamRequest request, Consumer<Runnable> cancellation, UpstreamListener listener) {
        exchanges.incrementAndGet();
        Thread.ofPlatform().daemon().name(THREAD_NAME).start(() -> client.send(request, cancellation, listener));
    }

    /** Exchanges sent through this transport. */
    public int exchanges() {
        return exchanges.get();
    }

    @Override
    public void close() {
        client.close();
    }
}
