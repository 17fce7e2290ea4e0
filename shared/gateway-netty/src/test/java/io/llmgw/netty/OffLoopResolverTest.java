package io.llmgw.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A host name asked for on an event loop is looked up elsewhere: the loop goes on, and the answer comes back to it. */
class OffLoopResolverTest {
    private final EventLoopGroup group = TransportTestBase.loops(1);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void theLookupRunsOffTheLoopAndItsAnswerComesBackToIt() throws Exception {
        Queue<Runnable> held = new ArrayDeque<>();
        OffLoopResolver resolver = new OffLoopResolver(held::add);
        Future<InetSocketAddress> resolved = group.next().submit(() ->
                resolver.getResolver(group.next()).resolve(InetSocketAddress.createUnresolved("localhost", 443))).get();

        assertThat(resolved.isDone()).as("nothing was looked up on the loop").isFalse();
        assertThat(held).hasSize(1);
        held.poll().run();  // the lookup, on this test's thread
        InetSocketAddress address = resolved.get(10, TimeUnit.SECONDS);
        assertThat(address.isUnresolved()).isFalse();
        assertThat(address.getPort()).isEqualTo(443);
    }
}
