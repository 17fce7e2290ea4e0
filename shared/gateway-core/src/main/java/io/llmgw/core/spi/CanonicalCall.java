package io.llmgw.core.spi;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.stream.FrameDecoder;
import io.llmgw.core.upstream.UpstreamRequest;
import java.util.function.Function;
import java.util.function.Supplier;

/** An upstream call for a canonical (translated) request, and how to read the upstream's answer into canonical form. */
public interface CanonicalCall extends UpstreamCall {
    /** Reads the streamed answer's frames into canonical events; a fresh one per call. */
    UpstreamStreamDecoder streamDecoder();

    /** Reads a whole (non-streamed) answer. */
    CanonicalResponse decode(byte[] body);

    /**
     * A call made of its parts, streamed as SSE.
     *
     * @param streamDecoders a fresh stream decoder per call
     * @param decoder        reads a whole answer
     */
    static CanonicalCall of(UpstreamRequest request, ErrorReader errors, Supplier<UpstreamStreamDecoder> streamDecoders,
                            Function<byte[], CanonicalResponse> decoder) {
        return of(request, errors, UpstreamCall::sse, streamDecoders, decoder);
    }

    /**
     * The same, for an upstream that frames its stream otherwise (AWS event stream): {@code frameDecoder}
     * decodes it from the bytes as they arrive (after checking the answer's content type).
     */
    static CanonicalCall of(UpstreamRequest request, ErrorReader errors,
                            Function<Headers, FrameDecoder> frameDecoder, Supplier<UpstreamStreamDecoder> streamDecoders,
                            Function<byte[], CanonicalResponse> decoder) {
        record Parts(UpstreamRequest request, ErrorReader errors, Function<Headers, FrameDecoder> frameDecoder, Supplier<UpstreamStreamDecoder> streamDecoders,
                     Function<byte[], CanonicalResponse> decoder)
                implements CanonicalCall {
            @Override
            public GatewayError error(int status, Headers headers, byte[] body, boolean gatewayKey) {
                return errors.read(status, headers, body, gatewayKey);
            }

            @Override
            public FrameDecoder decoder(Headers responseHeaders) {
                return frameDecoder.apply(responseHeaders);
            }

            @Override
            public UpstreamStreamDecoder streamDecoder() {
                return streamDecoders.get();
            }

            @Override
            public CanonicalResponse decode(byte[] body) {
                return decoder.apply(body);
            }
        }
        return new Parts(request, errors, frameDecoder, streamDecoders, decoder);
    }
}
