package io.llmgw.core.relay;

import io.llmgw.core.spi.Progress;


import io.llmgw.core.error.GatewayError;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.spi.UpstreamStreamDecoder;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.web.ClientResponse;

/** Relays an upstream stream in one wire format to a client in another, through canonical events. */
public final class TranslatingStream implements StreamTranslator {
    private final UpstreamStreamDecoder decoder;
    private final StreamEncoder encoder;

    public TranslatingStream(UpstreamStreamDecoder decoder, StreamEncoder encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
    }

    @Override
    public GatewayError errorBeforeStart(SseEvent first) {
        return decoder.errorBeforeStart(first);
    }

    @Override
    public Progress onEvent(SseEvent event, ClientResponse out) {
        Progress progress = decoder.decode(event, encoder::onEvent);
        switch (progress) {
            case FINISHED -> encoder.onComplete();
            case FAILED -> encoder.onError(decoder.failure());
            case CONTINUE -> { }
        }
        return progress;
    }

    @Override
    public Progress onEnd(ClientResponse out) {
        if (decoder.completeAtEof()) {
            encoder.onComplete();
            return Progress.FINISHED;
        }
        encoder.onError(UpstreamEvents.truncated());
        return Progress.FAILED;
    }

    @Override
    public void onFailure(GatewayError error, ClientResponse out) {
        encoder.onError(error);
    }

    @Override
    public byte[] keepAliveFrame() {
        return encoder.keepAliveFrame();
    }
}
