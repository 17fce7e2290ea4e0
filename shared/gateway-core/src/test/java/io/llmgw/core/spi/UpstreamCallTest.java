package io.llmgw.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.FrameDecoder;
import io.llmgw.core.stream.SseDecoder;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.upstream.UpstreamRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How a call says its streamed answer is decoded from pushed bytes: SSE by default, a provider's own framing when it says so. */
class UpstreamCallTest {
    private static final UpstreamRequest REQUEST = new UpstreamRequest(URI.create("http://127.0.0.1:9/v1/messages"), Headers.of(),
            new byte[0], Duration.ofSeconds(5), Duration.ofSeconds(1));
    private static final UpstreamCall.ErrorReader NO_ERRORS = (status, headers, body, gatewayKey) -> null;

    private static List<UpstreamCall> sseCalls() {
        return List.of(UpstreamCall.of(REQUEST, NO_ERRORS), CanonicalCall.of(REQUEST, NO_ERRORS, () -> null, body -> null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/event-stream", "text/event-stream; charset=utf-8", "Text/Event-Stream"})
    void anEventStreamIsDecodedAsSse(String contentType) throws IOException {
        for (UpstreamCall call : sseCalls()) {
            FrameDecoder decoder = call.decoder(Headers.of("Content-Type", contentType));
            List<SseEvent> events = new ArrayList<>();
            decoder.feed(ByteBuffer.wrap("event: e\ndata: a\n\n".getBytes(StandardCharsets.UTF_8)), events::add);

            assertThat(decoder).isInstanceOf(SseDecoder.class);
            assertThat(events).singleElement().satisfies(e -> assertThat(e.event() + "|" + e.dataText()).isEqualTo("e|a"));
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"application/json", "text/plain; charset=utf-8", "application/vnd.amazon.eventstream"})
    void anyOtherAnswerIsA502(String contentType) {
        Headers headers = contentType == null ? Headers.of() : Headers.of("content-type", contentType);
        for (UpstreamCall call : sseCalls()) {
            assertThatThrownBy(() -> call.decoder(headers)).isInstanceOfSatisfying(GatewayException.class, e -> {
                assertThat(e.error().status()).isEqualTo(502);
                assertThat(e.error().code()).isEqualTo("upstream_not_streaming");
                assertThat(e.error().message()).contains(contentType == null ? "no content type" : contentType);
            });
        }
    }

    @Test
    void aCanonicalCallWithItsOwnFramingDecodesWithTheDecoderItNames() {
        FrameDecoder own = new SseDecoder(64);
        List<Headers> asked = new ArrayList<>();
        CanonicalCall call = CanonicalCall.of(REQUEST, NO_ERRORS, headers -> {
            asked.add(headers);
            return own;
        }, () -> null, body -> null);
        Headers headers = Headers.of("content-type", "application/vnd.amazon.eventstream");

        assertThat(call.decoder(headers)).isSameAs(own);
        assertThat(asked).containsExactly(headers);
    }
}
