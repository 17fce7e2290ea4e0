package io.llmgw.core.dialect;

import io.llmgw.core.http.Headers;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.relay.StreamEncoder;
import io.llmgw.core.web.ClientResponse;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** A request on the translated path: the canonical request, and how this dialect answers it. */
public interface Translation {
    CanonicalRequest request();

    /** The writer of the client's stream. */
    StreamEncoder streamEncoder(ClientResponse out);

    /** The client's answer for a whole upstream answer. */
    byte[] body(CanonicalResponse answer);

    /**
     * An answer the gateway gives itself, without an upstream call (Anthropic's count_tokens for an
     * upstream that cannot count), or null.
     */
    default Local local() {
        return null;
    }

    /**
     * A stream was committed and the request is let go: whatever kept a way back to it (for an
     * answer's details the upstream might leave out) keeps only what it can take now.
     *
     * @param estimatedTokens routing's estimate of the request's size, already worked out
     */
    default void release(int estimatedTokens) {}

    /** A translation answered by the upstream: the canonical request, the client's stream writer and its whole-answer encoder. */
    static Translation of(CanonicalRequest request, Function<ClientResponse, StreamEncoder> streamEncoder,
            Function<CanonicalResponse, byte[]> body) {
        return of(request, streamEncoder, body, () -> null);
    }

    /** @param local the answer the gateway gives itself, or a supplier of null when the upstream answers */
    static Translation of(CanonicalRequest request, Function<ClientResponse, StreamEncoder> streamEncoder,
            Function<CanonicalResponse, byte[]> body, Supplier<Local> local) {
        return of(request, streamEncoder, body, local, tokens -> {});
    }

    /** @param release what {@link #release(int)} does */
    static Translation of(CanonicalRequest request, Function<ClientResponse, StreamEncoder> streamEncoder,
            Function<CanonicalResponse, byte[]> body, Supplier<Local> local, IntConsumer release) {
        return new Translation() {
            @Override
            public CanonicalRequest request() {
                return request;
            }

            @Override
            public StreamEncoder streamEncoder(ClientResponse out) {
                return streamEncoder.apply(out);
            }

            @Override
            public byte[] body(CanonicalResponse answer) {
                return body.apply(answer);
            }

            @Override
            public Local local() {
                return local.get();
            }

            @Override
            public void release(int estimatedTokens) {
                release.accept(estimatedTokens);
            }
        };
    }

    /** @param headers more response headers, or null */
    record Local(byte[] body, Headers headers) {}
}
