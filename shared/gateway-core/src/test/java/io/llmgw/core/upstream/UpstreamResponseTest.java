package io.llmgw.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.http.Headers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A whole answer read by its declared length, which never decides what the answer is. */
class UpstreamResponseTest {
    private static UpstreamResponse answer(String body, String... headers) {
        return new UpstreamResponse(200, Headers.of(headers), new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), new AtomicBoolean());
    }

    private static String read(UpstreamResponse response, int limit) throws IOException {
        return new String(response.readBody(limit), StandardCharsets.UTF_8);
    }

    @Test
    void theBodyIsWhatArrivesWhateverTheLengthSays() throws IOException {
        assertThat(read(answer("{\"a\":1}", "Content-Length", "7"), 100)).isEqualTo("{\"a\":1}");
        assertThat(read(answer("{\"a\":1}", "Content-Length", "3"), 100)).as("longer than declared").isEqualTo("{\"a\":1}");
        assertThat(read(answer("{\"a\":1}", "Content-Length", "70"), 100)).as("shorter than declared").isEqualTo("{\"a\":1}");
        assertThat(read(answer("{\"a\":1}", "Content-Length", "seven"), 100)).as("not a number").isEqualTo("{\"a\":1}");
        assertThat(read(answer("{\"a\":1}", "Content-Length", "3", "Transfer-Encoding", "chunked"), 100))
                .as("chunked framing wins over a length").isEqualTo("{\"a\":1}");
        assertThat(read(answer("{\"a\":1}"), 100)).isEqualTo("{\"a\":1}");
    }

    @Test
    void aBodyOverTheLimitFailsDeclaredOrNot() {
        assertThatThrownBy(() -> answer("0123456789", "Content-Length", "10").readBody(9)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> answer("0123456789", "Content-Length", "2").readBody(9)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> answer("0123456789").readBody(9)).isInstanceOf(IOException.class);
    }
}
