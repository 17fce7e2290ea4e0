package io.llmgw.netty;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Host names resolved the way the blocking client resolved them — the JDK's resolver, with its cache,
 * {@code /etc/hosts} and the system's DNS settings — but never on an event loop: a lookup the JDK's
 * cache cannot answer waits for the network, and on a loop that wait would stall every connection the
 * loop serves. Each lookup runs on a virtual thread; its answer goes back to the loop through the
 * promise. (Netty's own DNS resolver would be asynchronous too, but reads the system's settings itself
 * and keeps a cache of its own, so names would resolve differently from everywhere else in the JVM.)
 */
final class OffLoopResolver extends AddressResolverGroup<InetSocketAddress> {
    private final Executor lookups;

    OffLoopResolver() {
        this(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("upstream-dns-", 0).factory()));
    }

    /** @param lookups where the JDK's lookups run (a test holds them) */
    OffLoopResolver(Executor lookups) {
        this.lookups = lookups;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
        return new JdkLookups(loop, lookups).asAddressResolver();
    }

    private static final class JdkLookups extends InetNameResolver {
        private final Executor lookups;

        JdkLookups(EventExecutor loop, Executor lookups) {
            super(loop);
            this.lookups = lookups;
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            lookups.execute(() -> {
                try {
                    promise.trySuccess(InetAddress.getByName(host));
                } catch (UnknownHostException | RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            lookups.execute(() -> {
                try {
                    promise.trySuccess(Arrays.asList(InetAddress.getAllByName(host)));
                } catch (UnknownHostException | RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
        }
    }
}
