package io.llmgw.core.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.ResponseFormat;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.protocol.CustomTools;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.anthropic.AnthropicThinking;
import io.llmgw.core.protocol.anthropic.ThinkingReplay;
import io.llmgw.core.spi.Deployment;
import java.util.Locale;

/**
 * Encodes a canonical request as an Anthropic Messages body (docs/protocol-mapping.md#upstream-anthropic-request): system blocks,
 * the conversation ({@link AnthropicMessages}), tools with {@code input_schema}, {@code tool_choice}
 * with {@code disable_parallel_tool_use}, the required {@code max_tokens}, thinking
 * ({@link AnthropicThinking}) and the sampling parameters Anthropic accepts alongside it, stop
 * sequences, structured output and {@code metadata.user_id}. Prompt-cache breakpoints are added on
 * the last tool, the last system block and the conversation's last turn, as Claude Code does:
 * clients of other dialects have no way to ask for them, and agents resend the same long prefix
 * every turn (docs/protocol-mapping.md#pitfall-prompt-cache).
 */
final class AnthropicRequestEncoder {
    /** max_tokens when neither the client nor the deployment set one; see {@link #defaultMaxTokens}. */
    static final int DEFAULT_MAX_TOKENS = 8_192;
    static final int RECENT_MODEL_MAX_TOKENS = 32_000;
    static final int CLAUDE_3_MAX_TOKENS = 4_096;
    /** Lets thinking with a budget interleave with tool calls on the Claude 4 models that need asking. */
    static final String INTERLEAVED_THINKING_BETA = "interleaved-thinking-2025-05-14";

    /** The body, and the {@code anthropic-beta} header it needs (or null). */
    record Encoded(ObjectNode body, String beta) {}

    private AnthropicRequestEncoder() {}

    static Encoded encode(CanonicalRequest request, Deployment deployment, ToolNames names) {
        String model = deployment.upstreamModel();
        int maxTokens = maxTokens(request, deployment);
        ArrayNode messages = AnthropicMessages.encode(request.messages(), names);
        AnthropicThinking thinking = AnthropicThinking.plan(request.reasoning(), model, deployment.thinking(), maxTokens);
        if (thinking != null && ThinkingReplay.lastToolTurnLacksThinking(messages)) {
            thinking = null;  // the conversation came from elsewhere: answer without thinking rather than fail
        }
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("max_tokens", maxTokens);
        ArrayNode system = system(request);
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        cacheBreakpoint(lastUserBlock(messages));
        body.set("messages", messages);
        addTools(body, request, names, thinking != null);
        ObjectNode outputConfig = Json.object();
        if (thinking != null) {
            body.set("thinking", thinking.config());
            if (thinking.adaptive()) {
                outputConfig.put("effort", thinking.effort());
            }
        }
        addFormat(outputConfig, request.responseFormat());
        if (!outputConfig.isEmpty()) {
            body.set("output_config", outputConfig);
        }
        addSampling(body, request, thinking != null);
        if (!request.stop().isEmpty()) {
            ArrayNode stops = body.putArray("stop_sequences");
            request.stop().forEach(stops::add);
        }
        if (request.user() != null) {
            body.putObject("metadata").put("user_id", request.user());
        }
        if (request.stream()) {
            body.put("stream", true);
        }
        boolean interleaved = thinking != null && !thinking.adaptive() && request.hasTools();
        return new Encoded(body, interleaved ? INTERLEAVED_THINKING_BETA : null);
    }

    /**
     * Required by Anthropic: the client's limit (clamped to the deployment's {@code max_output_tokens}),
     * else that ceiling, else a default for the model.
     */
    static int maxTokens(CanonicalRequest request, Deployment deployment) {
        Integer ceiling = deployment.maxOutputTokens();
        Integer asked = request.maxOutputTokens();
        if (asked != null) {
            return ceiling != null ? Math.min(asked, ceiling) : asked;
        }
        return ceiling != null ? ceiling : defaultMaxTokens(deployment.upstreamModel());
    }

    /**
     * Every Claude since 3.7 writes at least 32,000 tokens; Claude 3.5 8,192 and Claude 3 4,096.
     * Other names (Anthropic-compatible servers of other models) get 8,192, which any takes.
     */
    static int defaultMaxTokens(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        if (!name.contains("claude")) {
            return DEFAULT_MAX_TOKENS;
        }
        if (name.contains("claude-3-5") || name.contains("claude-3.5")) {
            return DEFAULT_MAX_TOKENS;
        }
        if (name.matches(".*claude-3-(haiku|sonnet|opus).*")) {
            return CLAUDE_3_MAX_TOKENS;
        }
        return RECENT_MODEL_MAX_TOKENS;
    }

    private static ArrayNode system(CanonicalRequest request) {
        ArrayNode system = Json.NODES.arrayNode();
        for (Block.Text text : request.system()) {
            if (!text.text().isBlank()) {
                system.addObject().put("type", "text").put("text", text.text());
            }
        }
        if (!system.isEmpty()) {
            cacheBreakpoint((ObjectNode) system.get(system.size() - 1));
        }
        return system;
    }

    private static void addTools(ObjectNode body, CanonicalRequest request, ToolNames names, boolean thinking) {
        if (!request.hasTools()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (ToolDefinition tool : request.tools()) {
            ObjectNode node = tools.addObject().put("name", names.upstream(tool.name()));
            String description = tool.custom() ? CustomTools.description(tool) : tool.description();
            if (description != null && !description.isEmpty()) {
                node.put("description", description);
            }
            JsonNode schema = tool.custom() ? CustomTools.schema() : tool.inputSchema();
            node.set("input_schema", schema != null ? schema : Json.object().put("type", "object").set("properties", Json.object()));
        }
        cacheBreakpoint((ObjectNode) tools.get(tools.size() - 1));
        ToolChoice choice = request.toolChoice();
        ObjectNode node = null;
        if (choice != null) {
            // Anthropic refuses a forced tool while thinking: relaxed to auto (docs/protocol-mapping.md#upstream-anthropic-request)
            ToolChoice.Mode mode = thinking && (choice.mode() == ToolChoice.Mode.ANY || choice.mode() == ToolChoice.Mode.TOOL)
                    ? ToolChoice.Mode.AUTO : choice.mode();
            node = body.putObject("tool_choice").put("type", mode.name().toLowerCase(Locale.ROOT));
            if (mode == ToolChoice.Mode.TOOL) {
                node.put("name", names.upstream(choice.name()));
            }
        }
        if (Boolean.FALSE.equals(request.parallelToolCalls()) && (node == null || !"none".equals(node.path("type").asText()))) {
            (node != null ? node : body.putObject("tool_choice").put("type", "auto")).put("disable_parallel_tool_use", true);
        }
    }

    private static void addFormat(ObjectNode outputConfig, ResponseFormat format) {
        if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
            outputConfig.putObject("format").put("type", "json_schema").set("schema", format.schema());
        }
    }

    /**
     * Anthropic takes temperature up to 1; recent models refuse temperature and top_p together (the
     * temperature is kept); with thinking, temperature and top_k are refused and top_p only from 0.95.
     */
    private static void addSampling(ObjectNode body, CanonicalRequest request, boolean thinking) {
        Double temperature = request.temperature();
        Double topP = request.topP();
        if (thinking) {
            if (topP != null && topP >= 0.95 && topP <= 1) {
                body.put("top_p", topP);
            }
            return;
        }
        if (temperature != null) {
            body.put("temperature", Math.max(0, Math.min(1, temperature)));
        } else if (topP != null) {
            body.put("top_p", topP);
        }
        if (request.topK() != null) {
            body.put("top_k", request.topK());
        }
    }

    /** The last block of the last user turn, where the conversation's cacheable prefix ends; null when none. */
    private static ObjectNode lastUserBlock(ArrayNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                return content.isEmpty() ? null : (ObjectNode) content.get(content.size() - 1);
            }
        }
        return null;
    }

    private static void cacheBreakpoint(ObjectNode block) {
        if (block != null) {
            block.putObject("cache_control").put("type", "ephemeral");
        }
    }
}
