package io.llmgw.testprovider.echo;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.UpstreamErrors;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.spi.CanonicalCall;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Progress;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.spi.AbstractStreamDecoder;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.upstream.UpstreamRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

/** The echo upstream's wire: the last user text out, text back; SSE framing (the SPI's default). */
final class EchoProvider implements Provider {
    private final GatewayConfig.Provider config;

    EchoProvider(GatewayConfig.Provider config) {
        this.config = config;
    }

    @Override
    public CanonicalCall canonical(CanonicalRequest request, Deployment deployment, String requestId) {
        List<Block> last = request.messages().get(request.messages().size() - 1).content();
        String said = last.stream().filter(b -> b instanceof Block.Text).map(b -> ((Block.Text) b).text()).findFirst().orElse("");
        byte[] body = Json.bytes(Json.object().put("say", said).put("stream", request.stream()));
        URI uri = URI.create(config.settings(EchoFactory.EchoSettings.class).baseUrl() + "/echo");
        UpstreamRequest upstream = new UpstreamRequest(uri, Headers.of("content-type", "application/json"), body, config.timeout(),
                config.connectTimeout());
        return CanonicalCall.of(upstream, (status, headers, errorBody, gatewayKey) ->
                        UpstreamErrors.fromResponse(status, UpstreamErrors.kindOf(status), null, null, null, headers, gatewayKey),
                Decoder::new, answer -> decode(answer, deployment));
    }

    private static CanonicalResponse decode(byte[] answer, Deployment deployment) {
        try {
            return new CanonicalResponse(null, deployment.upstreamModel(), List.of(new Block.Text(Json.text(Json.parse(answer), "text"))),
                    StopReason.END_TURN, null, new Usage(1, 1, null, null, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Decoder extends AbstractStreamDecoder {
        Decoder() {
            super(first -> UpstreamEvents.object(first) == null ? UpstreamEvents.malformed() : null);
        }

        @Override
        public Progress decode(SseEvent event, Consumer<StreamEvent> out) {
            JsonNode data = UpstreamEvents.object(event);
            if (data.path("done").asBoolean()) {
                finish(new StreamEvent.Finished(StopReason.END_TURN, null), out);
                return Progress.FINISHED;
            }
            out.accept(new StreamEvent.TextDelta(Json.text(data, "text")));
            return Progress.CONTINUE;
        }
    }
}
