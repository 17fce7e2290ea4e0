package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A model call whose body is still arriving after its head — every request of a coding agent, 20 KB
 * and more — is served on its connection's event loop all the same: authenticated at once, then
 * resumed there when the body's last byte arrives, with no request thread waiting for it. Only a body
 * too large to decode on the loop without holding up its other connections goes on on a thread
 * ({@code RequestBody.LOOP_MAX_BYTES}).
 */
class BodyOnTheLoopTest {
    /** A chat request of about {@code size} bytes whose last message ends with a marker. */
    private static byte[] chat(int size) {
        String text = "x".repeat(size) + " the-end-of-the-body";
        return ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the head and the first half of {@code body}, waits, then sends the rest; returns the response. */
    private static String sendInTwoParts(int port, byte[] body) throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + TestGateway.GATEWAY_KEY + "\r\nContent-Length: " + body.length + "\r\n\r\n");
            int half = body.length / 2;
            raw.out.write(body, 0, half);
            raw.out.flush();
            Thread.sleep(300);  // the first half is read, and the loop's read ends, well before the rest
            raw.out.write(body, half, body.length - half);
            raw.out.flush();
            return raw.readResponse();
        }
    }

    @Test
    void aBodyStillArrivingIsAwaitedOnTheLoopWithoutARequestThread() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            upstream.handler(request -> ChatScript.text("served").reply(request));

            String response = sendInTwoParts(gateway.port(), chat(40_000));

            assertThat(RawHttp.status(response)).isEqualTo(200);
            assertThat(RawHttp.body(response)).contains("served");
            assertThat(upstream.lastRequest().bodyText()).contains("the-end-of-the-body");
            assertThat(gateway.server().handOff().platformThreads()).as("request threads started").isZero();
        }
    }

    @Test
    void aBodyTooLargeToDecodeOnTheLoopGoesOnOnARequestThread() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            upstream.handler(request -> ChatScript.text("served").reply(request));

            String response = sendInTwoParts(gateway.port(), chat(RequestBody.LOOP_MAX_BYTES + 1));

            assertThat(RawHttp.status(response)).isEqualTo(200);
            assertThat(upstream.lastRequest().bodyText()).contains("the-end-of-the-body");
            assertThat(gateway.server().handOff().platformThreads()).as("request threads started").isEqualTo(1);
        }
    }

    @Test
    void aClientThatLeavesDuringItsBodyIsNeverSentUpstreamAndFreesItsSlot() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            byte[] body = chat(40_000);
            try (RawHttp raw = new RawHttp(gateway.port())) {
                raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + TestGateway.GATEWAY_KEY + "\r\nContent-Length: " + body.length + "\r\n\r\n");
                raw.out.write(body, 0, body.length / 2);
                raw.out.flush();
                for (int i = 0; i < 200 && gateway.core().inFlightRequests() == 0; i++) {
                    Thread.sleep(10);
                }
                assertThat(gateway.core().inFlightRequests()).as("admitted while its body arrives").isEqualTo(1);
            }
            for (int i = 0; i < 200 && gateway.core().inFlightRequests() > 0; i++) {
                Thread.sleep(10);
            }
            assertThat(gateway.core().inFlightRequests()).as("slots held once the client left").isZero();
            assertThat(upstream.requests()).isEmpty();
            assertThat(gateway.server().handOff().platformThreads()).as("request threads started").isZero();
        }
    }
}
