package io.llmgw.provider.bedrock;

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
import io.llmgw.core.spi.Deployment;

/**
 * A canonical request as a Converse body (the model is in the path): {@code messages} ({@link ConverseMessages}),
 * {@code system}, {@code inferenceConfig} (output limit, sampling, stop sequences), {@code toolConfig},
 * {@code outputConfig} for a JSON schema, and for Claude the fields Converse has no name for in
 * {@code additionalModelRequestFields} — Anthropic's {@code thinking} ({@link AnthropicThinking}), {@code top_k},
 * the interleaved-thinking beta — with the matched stop sequence asked back ({@code /stop_sequence}). Claude 3.7
 * and later get prompt-cache checkpoints after the system prompt, the tools and the last user turn, as the
 * Anthropic provider sets its breakpoints.
 */
final class ConverseRequestEncoder {
    static final String INTERLEAVED_THINKING_BETA = "interleaved-thinking-2025-05-14";

    private ConverseRequestEncoder() {}

    static ObjectNode encode(CanonicalRequest request, Deployment deployment, ToolNames names) {
        ModelFamily family = ModelFamily.of(deployment.upstreamModel());
        Integer maxTokens = maxTokens(request, deployment, family);
        ArrayNode messages = ConverseMessages.encode(request.messages(), names, family);
        AnthropicThinking thinking = family.thinking() == null || maxTokens == null ? null
                : AnthropicThinking.plan(request.reasoning(), deployment.upstreamModel(), deployment.thinking(), maxTokens);
        if (thinking != null && ConverseMessages.lastToolTurnLacksReasoning(messages)) {
            thinking = null;  // the conversation came from elsewhere: answer without thinking rather than fail
        }
        ObjectNode body = Json.object();
        if (family.cachePoints()) {
            cachePoint(lastUserContent(messages));
        }
        body.set("messages", messages);
        ArrayNode system = body.putArray("system");
        request.system().stream().map(Block.Text::text).filter(text -> !text.isBlank()).forEach(text -> system.addObject().put("text", text));
        if (system.isEmpty()) {
            body.remove("system");
        } else if (family.cachePoints()) {
            cachePoint(system);
        }
        ObjectNode inference = body.putObject("inferenceConfig");
        if (maxTokens != null) {
            inference.put("maxTokens", maxTokens);
        }
        ObjectNode additional = Json.object();
        sampling(request, family, thinking != null, inference, additional);
        if (!request.stop().isEmpty()) {
            ArrayNode stops = inference.putArray("stopSequences");
            request.stop().forEach(stops::add);
            if (family.claude()) {
                body.putArray("additionalModelResponseFieldPaths").add("/stop_sequence");
            }
        }
        if (inference.isEmpty()) {
            body.remove("inferenceConfig");
        }
        tools(body, request, names, family, thinking != null, ConverseMessages.usesTools(messages));
        if (thinking != null) {
            additional.set("thinking", thinking.config());
            if (thinking.adaptive()) {
                additional.putObject("output_config").put("effort", thinking.effort());
            } else if (request.hasTools()) {
                additional.putArray("anthropic_beta").add(INTERLEAVED_THINKING_BETA);
            }
        }
        if (!additional.isEmpty()) {
            body.set("additionalModelRequestFields", additional);
        }
        outputFormat(body, request.responseFormat());
        return body;
    }

    /** The client's limit clamped to the deployment's ceiling, else that ceiling, else Claude's default; else the model's own. */
    static Integer maxTokens(CanonicalRequest request, Deployment deployment, ModelFamily family) {
        Integer ceiling = deployment.maxOutputTokens();
        Integer asked = request.maxOutputTokens();
        if (asked != null) {
            return ceiling != null ? Math.min(asked, ceiling) : asked;
        }
        if (ceiling != null) {
            return ceiling;
        }
        return family.cachePoints() ? ModelFamily.CLAUDE_DEFAULT_MAX_TOKENS : null;
    }

    /**
     * Converse takes temperature and top_p from 0 to 1. Claude's rules on top: recent models refuse both together
     * (the temperature is kept), top_k goes in the additional fields, and with thinking only a top_p from 0.95 is taken.
     */
    private static void sampling(CanonicalRequest request, ModelFamily family, boolean thinking, ObjectNode inference,
                                 ObjectNode additional) {
        Double temperature = request.temperature() == null ? null : Math.max(0, Math.min(1, request.temperature()));
        Double topP = request.topP();
        if (!family.claude()) {
            putIfGiven(inference, "temperature", temperature);
            putIfGiven(inference, "topP", topP);
            return;
        }
        if (thinking) {
            putIfGiven(inference, "topP", topP != null && topP >= 0.95 && topP <= 1 ? topP : null);
            return;
        }
        putIfGiven(inference, "temperature", temperature);
        putIfGiven(inference, "topP", temperature == null ? topP : null);
        if (request.topK() != null) {
            additional.put("top_k", request.topK());
        }
    }

    private static void putIfGiven(ObjectNode node, String field, Double value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /**
     * Tools as {@code toolSpec}s. Converse has no "none" choice: the tools are left out then, unless the
     * conversation carries tool blocks (Bedrock refuses those without a tool configuration), which keeps them
     * on the model's own choice. Claude refuses a forced tool while thinking: relaxed to auto, as for Anthropic.
     */
    private static void tools(ObjectNode body, CanonicalRequest request, ToolNames names, ModelFamily family, boolean thinking,
                              boolean historyUsesTools) {
        ToolChoice choice = request.toolChoice();
        boolean none = choice != null && choice.mode() == ToolChoice.Mode.NONE;
        if (!request.hasTools() || (none && !historyUsesTools)) {
            return;
        }
        ObjectNode config = body.putObject("toolConfig");
        ArrayNode tools = config.putArray("tools");
        for (ToolDefinition tool : request.tools()) {
            ObjectNode spec = tools.addObject().putObject("toolSpec").put("name", names.upstream(tool.name()));
            String description = tool.custom() ? CustomTools.description(tool) : tool.description();
            if (description != null && !description.isBlank()) {
                spec.put("description", description);
            }
            JsonNode schema = tool.custom() ? CustomTools.schema() : tool.inputSchema();
            spec.putObject("inputSchema").set("json", schema != null ? schema
                    : Json.object().put("type", "object").set("properties", Json.object()));
        }
        if (family.cachePoints()) {
            cachePoint(tools);
        }
        if (choice == null || none) {
            return;
        }
        ToolChoice.Mode mode = thinking && choice.mode() != ToolChoice.Mode.AUTO ? ToolChoice.Mode.AUTO : choice.mode();
        ObjectNode node = config.putObject("toolChoice");
        switch (mode) {
            case ANY -> node.putObject("any");
            case TOOL -> node.putObject("tool").put("name", names.upstream(choice.name()));
            default -> node.putObject("auto");
        }
    }

    /** {@code outputConfig.textFormat} with the schema as a string, as Converse takes it; JSON-object mode has no equivalent. */
    private static void outputFormat(ObjectNode body, ResponseFormat format) {
        if (format == null || format.type() != ResponseFormat.Type.JSON_SCHEMA || format.schema() == null) {
            return;
        }
        ObjectNode schema = body.putObject("outputConfig").putObject("textFormat").put("type", "json_schema")
                .putObject("structure").putObject("jsonSchema").put("schema", Json.string(format.schema()));
        if (format.name() != null) {
            schema.put("name", format.name());
        }
    }

    /** The content of the last user turn, where the conversation's cacheable prefix ends; null when none. */
    private static ArrayNode lastUserContent(ArrayNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return (ArrayNode) messages.get(i).get("content");
            }
        }
        return null;
    }

    private static void cachePoint(ArrayNode blocks) {
        if (blocks != null && !blocks.isEmpty()) {
            blocks.addObject().putObject("cachePoint").put("type", "default");
        }
    }
}
