package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.dialect.AnswerReader;
import io.llmgw.core.dialect.ClientBodyPassthrough;
import io.llmgw.core.dialect.ClientDialect;
import io.llmgw.core.dialect.Passthrough;
import io.llmgw.core.dialect.RequestBodies;
import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.dialect.Translation;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.PathEncoding;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.openai.ChatWire;
import io.llmgw.core.routing.Condenser;
import io.llmgw.core.relay.StreamTranslator;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.NativeBody;
import io.llmgw.core.spi.Provider;
import io.llmgw.core.telemetry.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OpenAI's Chat Completions API ({@code POST /v1/chat/completions}, and Azure's deployment path,
 * whose deployment names the model). Passed through to upstreams that speak it with minimal
 * rewriting — every field the client sent (tools, response_format, reasoning_effort, images,
 * logprobs, seed, anything newer) reaches them untouched; translated for any other.
 */
public final class ChatDialect implements ClientDialect {
    public static final String AZURE_DEPLOYMENT = "deployment";
    private static final Pattern AZURE_PATH = Pattern.compile("/openai/deployments/(?<deployment>[^/]+)/chat/completions");
    private static final String[] TOKEN_LIMIT_FIELDS = {"max_completion_tokens", "max_tokens"};
    /** What a stream the client did not ask usage of is sent with, so the gateway can log and price it. */
    private static final String USAGE_ASKED = "{\"include_usage\":true}";

    /**
     * Test seam: while true, every request takes the translated path, as if no upstream spoke chat
     * completions, so the translated path can run end to end against a chat upstream; nothing but
     * tests sets it.
     */
    public static volatile boolean translateEveryUpstream;

    @Override
    public Dialect id() {
        return Dialect.CHAT_COMPLETIONS;
    }

    @Override
    public boolean passesThroughTo(Provider upstream) {
        return !translateEveryUpstream && ClientDialect.super.passesThroughTo(upstream);
    }

    @Override
    public List<String> paths() {
        return List.of("/v1/chat/completions", "/openai/v1/chat/completions");
    }

    /** Azure's deployment path, as Azure OpenAI clients configured with the gateway's address send it. */
    @Override
    public Map<Pattern, String[]> pathPatterns() {
        return Map.of(AZURE_PATH, new String[] {AZURE_DEPLOYMENT});
    }

    /** @param pathParams an Azure-style path's deployment overrides the body's model */
    @Override
    public String model(ObjectNode body, Map<String, String> pathParams) {
        ChatFields.BODY.check(body, "");
        String deployment = pathParams.get(AZURE_DEPLOYMENT);
        String model = deployment != null ? decodedDeployment(deployment) : RequestBodies.requiredText(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "'messages' must be a non-empty array.", "invalid_value")
                    .withParam("messages").exception();
        }
        return model;
    }

    private static String decodedDeployment(String encoded) {
        try {
            return PathEncoding.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request path has malformed percent-encoding.", "invalid_path")
                    .exception();
        }
    }

    /** Through the canonical model, for upstreams that do not speak chat completions. */
    @Override
    public Translation translate(ObjectNode body, String model, Deployment primary, RequestContext ctx) {
        CanonicalRequest request = ChatRequestDecoder.decode(body, model);
        boolean clientWantsUsage = clientWantsUsage(body);
        return Translation.of(request,
                out -> new ChatStreamEncoder(model, clientWantsUsage, out::write),
                answer -> ChatResponseEncoder.encode(answer, ChatEnvelope.mint(model)));
    }

    /** The client's body, rewritten only where the deployment needs it. */
    @Override
    public Passthrough passthrough(ObjectNode body, GatewayRequest request) {
        boolean stream = body.path("stream").asBoolean(false);
        Integer requestedOutput = requestedOutput(body);
        return new ClientBodyPassthrough(stream, body, request) {
            @Override
            public Integer requestedOutput() {
                return requestedOutput;
            }

            @Override
            public NativeBody body(Deployment deployment, Integer condenseTo, RequestContext ctx) {
                byte[] asSent = condenseTo == null ? asSentWithModel(deployment) : null;
                if (asSent != null) {
                    return new NativeBody(Dialect.CHAT_COMPLETIONS, false, null, asSent, stream, request().headers(), ctx.requestId());
                }
                ObjectNode attempt = json().deepCopy();
                rewriteForUpstream(attempt, deployment, stream);
                if (condenseTo != null) {
                    ctx.responseHeaders().set(Condenser.HEADER, "dropped-messages=" + Condenser.condenseChat(attempt, condenseTo));
                }
                return new NativeBody(Dialect.CHAT_COMPLETIONS, false, attempt, null, stream, request().headers(), ctx.requestId());
            }

            /**
             * The client's own bytes with the upstream's model name, when the model is all the deployment
             * changes — or, on a stream whose body has no {@code stream_options}, the model and the usage
             * the gateway asks for, put last (no token limit over its ceiling); null otherwise. An Azure
             * deployment path's body may name no model, and options of the client's own take the usage
             * flag among them: the tree then serves.
             */
            private byte[] asSentWithModel(Deployment deployment) {
                if (overCeiling(json(), deployment.maxOutputTokens())) {
                    return null;
                }
                if (!stream || clientWantsUsage(json())) {
                    return rawWithModel(deployment.upstreamModel());
                }
                if (json().has("stream_options")) {
                    return null;
                }
                byte[] named = rawWithModel(deployment.upstreamModel());
                return named == null ? null : Json.withLastField(named, "stream_options", USAGE_ASKED);
            }

            @Override
            public StreamTranslator streamTranslator(RequestedModel requested, RequestContext ctx) {
                return new ChatPassthroughStream(clientWantsUsage(json()), requested, ctx);
            }

            @Override
            public Usage usage(JsonNode usage) {
                return ChatWire.usage(usage);
            }

            @Override
            public AnswerReader answers() {
                return new ChatAnswers(ChatRequestDecoder.stop(json().get("stop")));
            }
        };
    }

    private static Integer requestedOutput(ObjectNode body) {
        for (String field : TOKEN_LIMIT_FIELDS) {
            JsonNode limit = body.get(field);
            if (limit != null && limit.isInt()) {
                return limit.intValue();
            }
        }
        return null;
    }

    private static boolean clientWantsUsage(ObjectNode body) {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    /**
     * The upstream model replaces the requested name; streams always ask for usage (so it can be
     * logged) — the client only sees it if it asked; token limits are clamped to the deployment's
     * configured ceiling.
     */
    private static void rewriteForUpstream(ObjectNode body, Deployment deployment, boolean stream) {
        body.put("model", deployment.upstreamModel());
        if (stream) {
            JsonNode options = body.get("stream_options");
            ObjectNode streamOptions = options instanceof ObjectNode o ? o : body.putObject("stream_options");
            streamOptions.put("include_usage", true);
        }
        Integer ceiling = deployment.maxOutputTokens();
        if (ceiling != null) {
            for (String field : TOKEN_LIMIT_FIELDS) {
                if (overCeiling(body.get(field), ceiling)) {
                    body.put(field, ceiling);
                }
            }
        }
    }

    private static boolean overCeiling(ObjectNode body, Integer ceiling) {
        if (ceiling != null) {
            for (String field : TOKEN_LIMIT_FIELDS) {
                if (overCeiling(body.get(field), ceiling)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean overCeiling(JsonNode limit, int ceiling) {
        return limit != null && limit.isNumber() && limit.longValue() > ceiling;
    }
}
