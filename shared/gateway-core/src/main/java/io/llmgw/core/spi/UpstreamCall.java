package io.llmgw.core.spi;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.FrameDecoder;
import io.llmgw.core.stream.SseDecoder;
import io.llmgw.core.upstream.UpstreamRequest;
import java.util.Locale;

/** One upstream call a provider built: the request, and how to read the upstream's errors and streamed frames. */
public interface UpstreamCall {
    /** The request as built, not yet signed. */
    UpstreamRequest request();

    /**
     * Reads an error response into the gateway's failure classes.
     *
     * @param gatewayKey whether the key sent was the gateway's own (its refusal is then the gateway's problem, not the client's)
     */
    GatewayError error(int status, Headers headers, byte[] body, boolean gatewayKey);

    /**
     * How a streamed answer is decoded from its bytes as they are pushed, once its headers are in.
     * By default an event stream; a provider whose upstream
     * frames its stream otherwise (AWS event stream) decodes it here. An answer in another format is a 502.
     */
    default FrameDecoder decoder(Headers responseHeaders) {
        return sse(responseHeaders);
    }

    /**
     * A call made of its request and its upstream's error reader, streamed (if at all) as SSE: what
     * a provider builds for a passthrough, where the gateway reads nothing but errors.
     */
    static UpstreamCall of(UpstreamRequest request, ErrorReader errors) {
        record Plain(UpstreamRequest request, ErrorReader errors) implements UpstreamCall {
            @Override
            public GatewayError error(int status, Headers headers, byte[] body, boolean gatewayKey) {
                return errors.read(status, headers, body, gatewayKey);
            }
        }
        return new Plain(request, errors);
    }

    /** One upstream wire's reading of its error answers, as {@link #error} describes; e.g. {@code OpenAiErrors::fromUpstream}. */
    @FunctionalInterface
    interface ErrorReader {
        GatewayError read(int status, Headers headers, byte[] body, boolean gatewayKey);
    }

    /** A {@code text/event-stream} answer decoded as SSE, or a 502 for any other content type. */
    static FrameDecoder sse(Headers responseHeaders) {
        requireStreamed(responseHeaders, "text/event-stream");
        return new SseDecoder();
    }

    /**
     * Checks that a streamed answer's content type is {@code contentType} (parameters such as a charset
     * aside), and throws the 502 of {@link #notStreaming} when it is not.
     */
    static void requireStreamed(Headers responseHeaders, String contentType) {
        String answered = responseHeaders.first("content-type");
        if (answered == null || !answered.toLowerCase(Locale.ROOT).startsWith(contentType)) {
            throw notStreaming(answered);
        }
    }

    /** The 502 for an upstream that answered a streaming request with something else. */
    static RuntimeException notStreaming(String contentType) {
        return GatewayError.of(ErrorKind.UPSTREAM_ERROR, "The upstream answered a streaming request with "
                + (contentType == null ? "no content type" : contentType) + " instead of an event stream.",
                "upstream_not_streaming").withStatus(502).exception();
    }
}
