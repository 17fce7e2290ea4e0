package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** A client that stops reading stalls the upstream read; nothing queues without limit in between. */
class BackpressureTest {
    private static final int EVENTS = 25_000;
    private static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"" + "x".repeat(4000) + "\"},\"finish_reason\":null}]}";
    private static final String LAST = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{},\"finish_reason\":\"stop\"}]}";

    @Test
    void slowClientSlowsTheUpstream() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()).replace("timeout: 5s", "timeout: 60s"))) {
            upstream.handler(request -> Reply.sse(() -> generated()));
            String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            try (Socket client = new Socket("127.0.0.1", gateway.port())) {
                client.setReceiveBufferSize(64 * 1024);
                OutputStream out = client.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer "
                        + TestGateway.GATEWAY_KEY + "\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = client.getInputStream();
                in.readNBytes(16 * 1024);

                long total = (long) EVENTS * (CHUNK.length() + 8);
                long stalledAt = waitUntilStable(upstream);
                Thread.sleep(500);
                assertThat(upstream.bytesWritten()).as("upstream writes while the client reads nothing").isEqualTo(stalledAt);
                assertThat(stalledAt).as("bytes in flight between a paused client and the upstream").isLessThan(total / 3);

                long read = 16 * 1024;
                byte[] buffer = new byte[64 * 1024];
                String tail = "";
                for (int n; (n = in.read(buffer)) > 0; ) {
                    read += n;
                    tail = (tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    tail = tail.substring(Math.max(0, tail.length() - 64));
                    if (tail.contains("[DONE]")) {
                        break;
                    }
                }
                assertThat(read).isGreaterThan(total);
                assertThat(tail).contains("data: [DONE]");
            }
        }
    }

    /** Waits until the upstream has stopped writing (blocked on full buffers), returning the bytes written. */
    private static long waitUntilStable(FakeUpstream upstream) throws InterruptedException {
        long previous = -1;
        for (int i = 0; i < 100; i++) {
            Thread.sleep(200);
            long now = upstream.bytesWritten();
            if (now == previous && now > 0) {
                return now;
            }
            previous = now;
        }
        throw new AssertionError("the upstream never stalled");
    }

    private static Iterator<String> generated() {
        return new Iterator<>() {
            private int sent;

            @Override
            public boolean hasNext() {
                return sent <= EVENTS + 1;
            }

            @Override
            public String next() {
                sent++;
                return sent <= EVENTS ? CHUNK : sent == EVENTS + 1 ? LAST : "[DONE]";
            }
        };
    }
}
