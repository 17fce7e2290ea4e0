package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.FakeUpstream;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * At the connection cap the server stops accepting: a further client is not refused but waits in the
 * accept queue, and is served as soon as a connection closes.
 */
class ConnectionLimitTest {
    private static final String LIVE = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void aClientBeyondTheCapWaitsUntilAConnectionCloses() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()))) {
            EventLoops loops = new EventLoops();
            GatewayServer capped = new GatewayServer(gateway.live(), gateway.server().settings().withMaxConnections(2), loops);
            capped.start();
            try (RawHttp first = new RawHttp(capped.port());
                 RawHttp second = new RawHttp(capped.port());
                 RawHttp third = new RawHttp(capped.port())) {
                first.send(LIVE);
                assertThat(RawHttp.status(first.readResponse())).isEqualTo(200);
                second.send(LIVE);
                assertThat(RawHttp.status(second.readResponse())).isEqualTo(200);

                third.send(LIVE);  // connected by the kernel, not accepted by the server
                third.socket.setSoTimeout(1_000);
                try {
                    third.in.read();
                    throw new AssertionError("a third connection was served beyond the cap of two");
                } catch (SocketTimeoutException waiting) {
                    // in the accept queue
                }
                assertThat(capped.connections().open()).isEqualTo(2);

                first.close();
                third.socket.setSoTimeout(10_000);
                assertThat(RawHttp.status(third.readResponse())).as("served once a connection closed").isEqualTo(200);
            } finally {
                capped.close();
                loops.close();
            }
        }
    }
}
