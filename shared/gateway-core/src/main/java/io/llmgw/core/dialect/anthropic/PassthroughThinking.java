package io.llmgw.core.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.config.ThinkingSupport;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Reasoning;
import io.llmgw.core.protocol.anthropic.ThinkingForms;

/**
 * An Anthropic client's {@code thinking}, made a form the deployment's model accepts. A route may
 * send a client's model name to another model (Claude Code asks for the newest Opus, which thinks
 * adaptively; the route's model may be a Sonnet 4.5, which takes only a budget), so: adaptive
 * thinking becomes a budget for models that take only budgets (from {@code output_config.effort},
 * medium when none, below {@code max_tokens}; none at all when not even the smallest budget fits),
 * a budget becomes adaptive thinking (with the matching effort, unless one was given) for models that
 * think adaptively, and thinking is left out for models that do not think, together with the
 * context-management edits that clear thinking. Unknown models get the client's thinking as sent.
 */
final class PassthroughThinking {
    private PassthroughThinking() {}

    /** A changed copy of {@code body} for a model with {@code support}, or null when it can go as it is. */
    static ObjectNode fit(ObjectNode body, ThinkingSupport support) {
        String type = Json.text(body.get("thinking"), "type");
        if (support == null || type == null) {
            return null;
        }
        return switch (support) {
            case NONE -> type.equals("disabled") ? null : withoutThinking(body.deepCopy());
            case BUDGET -> type.equals("adaptive") ? asBudget(body.deepCopy()) : null;
            case ADAPTIVE -> type.equals("enabled") ? asAdaptive(body.deepCopy()) : null;
        };
    }

    private static ObjectNode asBudget(ObjectNode body) {
        int budget = ThinkingForms.budget(Json.text(body.path("output_config"), "effort"));
        JsonNode maxTokens = body.get("max_tokens");
        if (maxTokens != null && maxTokens.canConvertToInt()) {
            budget = Math.min(budget, maxTokens.intValue() - 1);
        }
        if (budget < ThinkingForms.MIN_BUDGET) {
            return withoutThinking(body);
        }
        body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        return body;
    }

    private static ObjectNode asAdaptive(ObjectNode body) {
        JsonNode budget = body.path("thinking").get("budget_tokens");
        JsonNode display = body.path("thinking").get("display");
        ObjectNode thinking = body.putObject("thinking").put("type", "adaptive");
        if (display != null) {
            thinking.set("display", display);
        }
        JsonNode config = body.get("output_config");
        ObjectNode outputConfig = config instanceof ObjectNode o ? o : body.putObject("output_config");
        if (!outputConfig.has("effort")) {
            outputConfig.put("effort", new Reasoning(null, budget != null && budget.canConvertToInt() ? budget.intValue() : null)
                    .effectiveEffort());
        }
        return body;
    }

    private static ObjectNode withoutThinking(ObjectNode body) {
        body.remove("thinking");
        if (body.path("context_management").get("edits") instanceof ArrayNode edits) {
            for (int i = edits.size() - 1; i >= 0; i--) {
                String edit = Json.text(edits.get(i), "type");
                if (edit != null && edit.startsWith("clear_thinking")) {
                    edits.remove(i);
                }
            }
            if (edits.isEmpty()) {
                body.remove("context_management");
            }
        }
        return body;
    }
}
