package io.llmgw.core.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.provider.ChatUpstream;
import io.llmgw.core.routing.Deployment;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Gemini through its OpenAI-compatible endpoint ({@code …/v1beta/openai/chat/completions},
 * bearer key). Chosen over the native API because the hardened chat-completions codec then
 * serves it unchanged: streaming, tool calls (Gemini's index-less fragments and "stop" after
 * calls are already absorbed), images, reasoning effort, and thought signatures, which travel in
 * {@code extra_content.google.thought_signature} on each tool call and are echoed back on the
 * next turn. What differs is handled here: tool and output schemas are cut down to what Gemini
 * accepts.
 */
public final class GeminiUpstream implements ChatUpstream {
    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai";
    private static final Pattern THINKING_MODEL = Pattern.compile("(?i).*gemini-(2\\.5|[3-9]).*");

    @Override
    public URI chatCompletionsUri(Deployment deployment) {
        URI explicit = deployment.provider().chatCompletionsUrl();
        return explicit != null ? explicit : URI.create(base(deployment.provider()) + "/chat/completions");
    }

    @Override
    public URI modelsUri(GatewayConfig.Provider provider) {
        return URI.create(base(provider) + "/models");
    }

    @Override
    public void authorize(Headers headers, String key) {
        if (key != null) {
            headers.set("authorization", "Bearer " + key);
        }
    }

    /** Gemini 2.5 and 3 think; they take reasoning_effort (mapped by Gemini to its thinking budget or level). */
    @Override
    public ChatOptions options(Deployment deployment) {
        ChatOptions options = ChatUpstream.super.options(deployment);
        boolean thinking = deployment.reasoning() != null ? deployment.reasoning() : THINKING_MODEL.matcher(deployment.upstreamModel()).matches();
        return new ChatOptions(false, thinking, options.outputCeiling(), false, ChatOptions.GEMINI_EFFORTS);
    }

    @Override
    public void adaptBody(ObjectNode body) {
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

    private static String base(GatewayConfig.Provider provider) {
        return provider.baseUrl() == null ? DEFAULT_BASE_URL : provider.baseUrl().toString();
    }
}
