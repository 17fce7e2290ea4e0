package io.llmgw.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The same answer on the wire, in one write per piece with {@link FakeUpstream#wholeWrites} (what
 * the load benchmark's upstream does, as HTTP servers do) and in a write per framing piece by default
 * (what the tests rely on to see framing split across reads).
 */
class FakeUpstreamWritesTest {
    private static final ChatScript SCRIPT = ChatScript.text("Hello there, friend").chunkSize(8).usage(20, 9);

    @Test
    void aWholeAnswerIsOneWriteOfHeadAndBody() throws IOException {
        BothWays answer = bothWays("{\"model\":\"m\",\"messages\":[]}");

        assertThat(answer.text()).startsWith("HTTP/1.1 200").contains("content-length:");
        assertThat(answer.wholeWrites).isEqualTo(1);
        assertThat(answer.splitWrites).isEqualTo(2);
    }

    @Test
    void aStreamIsItsHeadThenOneWritePerChunkThenTheEnd() throws IOException {
        BothWays answer = bothWays("{\"model\":\"m\",\"stream\":true,\"messages\":[]}");

        assertThat(answer.text()).contains("transfer-encoding: chunked").endsWith("0\r\n\r\n");
        long events = answer.text().split("data: ", -1).length - 1;
        assertThat(events).isGreaterThan(3);
        assertThat(answer.wholeWrites).as("head, a write per event, the last chunk").isEqualTo(1 + events + 1);
        assertThat(answer.splitWrites).as("head, size line + data + CRLF per event, the last chunk").isEqualTo(1 + 3 * events + 1);
    }

    /** The answer's bytes (the same both ways, checked here) and the writes each way took. */
    private record BothWays(byte[] bytes, long splitWrites, long wholeWrites) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static BothWays bothWays(String request) throws IOException {
        try (FakeUpstream split = FakeUpstream.start().handler(SCRIPT::reply);
             FakeUpstream whole = FakeUpstream.start().handler(SCRIPT::reply).wholeWrites()) {
            byte[] splitBytes = exchange(split, request);
            byte[] wholeBytes = exchange(whole, request);
            assertThat(wholeBytes).isEqualTo(splitBytes);
            return new BothWays(wholeBytes, split.writes(), whole.writes());
        }
    }

    /** One request on a connection the fake closes after answering; every byte of the answer. */
    private static byte[] exchange(FakeUpstream upstream, String json) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
            OutputStream out = socket.getOutputStream();
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: fake\r\ncontent-type: application/json\r\n"
                    + "connection: close\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return socket.getInputStream().readAllBytes();
        }
    }
}
