package io.llmgw.core.dialect.anthropic;

import io.llmgw.core.model.Usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.dialect.AnswerReader;
import io.llmgw.core.dialect.ClientBodyPassthrough;
import io.llmgw.core.dialect.ClientDialect;
import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.dialect.Translation;
import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.protocol.anthropic.AnthropicUsage;
import io.llmgw.core.protocol.anthropic.ThinkingForms;
import io.llmgw.core.protocol.anthropic.ThinkingReplay;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.NativeBody;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.telemetry.RequestContext;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}) and its {@code count_tokens}, in front of any
 * upstream. To an Anthropic upstream the client's body goes with only {@code model} replaced — byte
 * for byte otherwise, so thinking signatures, {@code cache_control}, betas and fields newer than the
 * gateway arrive as sent — with the client's {@code anthropic-version} and {@code anthropic-beta};
 * the answer comes back as the upstream wrote it, naming the model the client asked for. The
 * exceptions to "as sent": thinking the gateway signed for another upstream is taken out
 * ({@link ThinkingReplay}), since Anthropic would refuse the request for it, and a {@code thinking}
 * form the deployment's model does not take is converted or left out ({@link PassthroughThinking}).
 * Any other upstream is served by translation, and count_tokens is then counted locally. Query
 * strings (Claude Code's {@code ?beta=true}) and betas change nothing for translated upstreams.
 */
public final class MessagesDialect implements ClientDialect {
    /** On a locally counted count_tokens answer: {@code counted}, or {@code estimated} when the input was too large to encode whole. */
    public static final String TOKEN_COUNT_HEADER = "x-gateway-token-count";

    private final boolean counting;

    /** @param counting the count_tokens route rather than messages */
    public MessagesDialect(boolean counting) {
        this.counting = counting;
    }

    @Override
    public Dialect id() {
        return Dialect.ANTHROPIC_MESSAGES;
    }

    /** count_tokens goes to an Anthropic-speaking upstream only if it counts; otherwise it is counted here. */
    @Override
    public boolean passesThroughTo(Provider upstream) {
        return ClientDialect.super.passesThroughTo(upstream) && (!counting || upstream.countsTokens());
    }

    @Override
    public List<String> paths() {
        return List.of(counting ? "/v1/messages/count_tokens" : "/v1/messages");
    }

    /** Anything under {@code /v1/messages} is an Anthropic client's, unknown paths included. */
    @Override
    public String errorPrefix() {
        return "/v1/messages";
    }

    @Override
    public ErrorFormat errors() {
        return AnthropicErrors.INSTANCE;
    }

    @Override
    public String model(ObjectNode body, Map<String, String> pathParams) {
        MessagesFields.BODY.check(body, "");
        return MessagesRequestDecoder.model(body);
    }

    /** Token counting and the thinking-signature origin follow the route's first deployment. */
    @Override
    public Translation translate(ObjectNode body, String model, Deployment primary, RequestContext ctx) {
        CanonicalRequest request = MessagesRequestDecoder.decode(body);
        InputTokens inputTokens = new InputTokens(request, primary.upstreamModel());
        String origin = primary.provider().type();
        String asked = request.model();
        return Translation.of(request,
                out -> new MessagesStreamEncoder(out, asked, origin, inputTokens),
                answer -> MessagesResponseEncoder.encode(answer, asked, origin, inputTokens),
                () -> counting ? countedLocally(request, primary) : null,
                inputTokens::release);
    }

    /** count_tokens for an upstream that cannot count: the count, and whether it is exact. */
    private static Translation.Local countedLocally(CanonicalRequest request, Deployment primary) {
        TokenCounter counter = TokenCounter.forModel(primary.upstreamModel());
        int tokens = counter.count(request);
        return new Translation.Local(Json.bytes(Json.object().put("input_tokens", tokens)),
                Headers.of(TOKEN_COUNT_HEADER, counter.estimated() ? "estimated" : "counted"));
    }

    @Override
    public Passthrough passthrough(ObjectNode body, GatewayRequest request) {
        boolean stream = !counting && body.path("stream").asBoolean(false);
        JsonNode maxTokens = body.get("max_tokens");
        Integer requestedOutput = maxTokens != null && maxTokens.canConvertToInt() ? maxTokens.intValue() : null;
        return new ClientBodyPassthrough(stream, body, request) {
            @Override
            public Integer requestedOutput() {
                return requestedOutput;
            }

            @Override
            public NativeBody body(Deployment deployment, Integer condenseTo, RequestContext ctx) {
                ObjectNode sanitized = ThinkingReplay.forAnthropic(json());  // count_tokens reads the same conversation
                ObjectNode fitted = PassthroughThinking.fit(sanitized != null ? sanitized : json(),
                        ThinkingForms.of(deployment.upstreamModel(), deployment.thinking()));
                ObjectNode changed = fitted != null ? fitted : sanitized;
                byte[] bytes = changed != null ? Json.bytes(changed.deepCopy().put("model", deployment.upstreamModel()))
                        : rawWithModel(deployment.upstreamModel());
                if (bytes == null) {
                    throw GatewayError.of(ErrorKind.INVALID_REQUEST, "model: Input should be a valid string").exception();
                }
                return new NativeBody(Dialect.ANTHROPIC_MESSAGES, counting, null, bytes, stream, request().headers(), ctx.requestId());
            }

            @Override
            public StreamTranslator streamTranslator(RequestedModel requested, RequestContext ctx) {
                return new MessagesPassthroughStream(requested, ctx);
            }

            @Override
            public String modelField() {
                return counting ? null : super.modelField();
            }

            @Override
            public Usage usage(JsonNode usage) {
                return counting ? null : AnthropicUsage.read(usage);
            }

            @Override
            public AnswerReader answers() {
                return counting ? null : new MessagesAnswers();
            }
        };
    }
}
