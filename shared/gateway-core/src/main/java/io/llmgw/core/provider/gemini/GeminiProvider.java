package io.llmgw.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.json.Json;
import io.llmgw.core.protocol.openai.ChatCompletionsProvider;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.NativeBody;
import io.llmgw.core.upstream.UpstreamRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Gemini through its OpenAI-compatible endpoint ({@code …/v1beta/openai/chat/completions},
 * bearer key). Chosen over the native API because the hardened chat-completions codec then
 * serves it unchanged: streaming, tool calls (Gemini's index-less fragments and "stop" after
 * calls are already absorbed), images, reasoning effort, and thought signatures, which travel in
 * {@code extra_content.google.thought_signature} on each tool call and are echoed back on the
 * next turn. What differs is handled here: tool and output schemas are cut down to what Gemini
 * accepts, and listed models lose their {@code models/} prefix.
 */
final class GeminiProvider extends ChatCompletionsProvider<GeminiSettings> {
    private static final Pattern THINKING_MODEL = Pattern.compile("(?i).*gemini-(2\\.5|[3-9]).*");

    GeminiProvider(GatewayConfig.Provider config) {
        super(config, GeminiSettings.class);
    }

    @Override
    protected URI chatCompletionsUri(Deployment deployment) {
        return settings.chatCompletionsUrl() != null ? settings.chatCompletionsUrl() : URI.create(settings.baseUrl() + "/chat/completions");
    }

    @Override
    protected URI modelsUri() {
        return URI.create(settings.baseUrl() + "/models");
    }

    @Override
    protected String listedId(String id) {
        return id.startsWith("models/") ? id.substring("models/".length()) : id;  // Gemini lists resource names
    }

    @Override
    public UpstreamRequest sign(UpstreamRequest request, String key) {
        return bearer(request, key);
    }

    /** Gemini 2.5 and 3 think; they take reasoning_effort (mapped by Gemini to its thinking budget or level). */
    @Override
    protected ChatOptions options(Deployment deployment) {
        ChatOptions options = super.options(deployment);
        boolean thinking = deployment.reasoning() != null ? deployment.reasoning() : THINKING_MODEL.matcher(deployment.upstreamModel()).matches();
        return new ChatOptions(false, thinking, options.outputCeiling(), false, ChatOptions.GEMINI_EFFORTS);
    }

    /** A chat body's schemas are sanitised whether the dialect sent its tree or the client's bytes. */
    @Override
    protected byte[] passthroughBytes(NativeBody body) {
        if (body.dialect() != Dialect.CHAT_COMPLETIONS) {
            return super.passthroughBytes(body);
        }
        ObjectNode json = body.json();
        if (json == null) {
            try {
                json = (ObjectNode) Json.parse(body.bytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);  // the client's bytes, parsed as an object once already
            }
        }
        adaptBody(json);
        return Json.bytes(json);
    }

    @Override
    protected void adaptBody(ObjectNode body) {
        for (JsonNode tool : body.path("tools")) {
            JsonNode function = tool.get("function");
            if (function instanceof ObjectNode f && f.has("parameters")) {
                f.set("parameters", GeminiSchemas.sanitize(f.get("parameters")));
                f.remove("strict");
            }
        }
        JsonNode schema = body.path("response_format").path("json_schema");
        if (schema instanceof ObjectNode s && s.has("schema")) {
            s.set("schema", GeminiSchemas.sanitize(s.get("schema")));
            s.remove("strict");
        }
    }
}
