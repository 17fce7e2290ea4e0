package io.llmgw.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
        String request = "{\"model\":\"m\",\"messages\":[]}";
        try (FakeUpstream split = FakeUpstream.start().handler(SCRIPT::reply);
             FakeUpstream whole = FakeUpstream.start().handler(SCRIPT::reply).wholeWrites()) {
            byte[] splitBytes = exchange(split, request);
            byte[] wholeBytes = exchange(whole, request);

            assertThat(new String(wholeBytes, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200").contains("content-length:");
            assertThat(wholeBytes).isEqualTo(splitBytes);
            assertThat(whole.writes()).isEqualTo(1);
            assertThat(split.writes()).isEqualTo(2);
        }
    }

    @Test
    void aStreamIsItsHeadThenOneWritePerChunkThenTheEnd() throws IOException {
        String request = "{\"model\":\"m\",\"stream\":true,\"messages\":[]}";
        try (FakeUpstream split = FakeUpstream.start().handler(SCRIPT::reply);
             FakeUpstream whole = FakeUpstream.start().handler(SCRIPT::reply).wholeWrites()) {
            byte[] splitBytes = exchange(split, request);
            byte[] wholeBytes = exchange(whole, request);

            String text = new String(wholeBytes, StandardCharsets.ISO_8859_1);
            assertThat(text).contains("transfer-encoding: chunked").endsWith("0\r\n\r\n");
            assertThat(wholeBytes).isEqualTo(splitBytes);
            long events = text.split("data: ", -1).length - 1;
            assertThat(events).isGreaterThan(3);
            assertThat(whole.writes()).as("head, a write per event, the last chunk").isEqualTo(1 + events + 1);
            assertThat(split.writes()).as("head, size line + data + CRLF per event, the last chunk").isEqualTo(1 + 3 * events + 1);
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
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }
}
