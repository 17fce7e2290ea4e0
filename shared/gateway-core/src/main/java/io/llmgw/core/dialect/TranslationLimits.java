package io.llmgw.core.dialect;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.Upstreams;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What translated routes leave out by design, said once at start-up (one INFO line) rather than as
 * a warning on every request: a Codex request always carries hosted tools a chat upstream cannot
 * run, which is expected behaviour, nothing for the operator to act on. Which path a model takes
 * follows its first deployment, as in the endpoints.
 */
public final class TranslationLimits {
    /** Created on first use (see {@code Gateway.Log}). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(TranslationLimits.class);
    }

    private TranslationLimits() {}

    /** Writes the line, when some route translates. */
    public static void log(GatewayConfig config) {
        String line = describe(config);
        if (line != null) {
            Log.LOG.info(line);
        }
    }

    /** The line, or null when no route translates. */
    public static String describe(GatewayConfig config) {
        Upstreams upstreams = new Upstreams(config);
        List<String> parts = new ArrayList<>();
        List<String> responses = models(config, upstreams, Dialect.RESPONSES);
        if (!responses.isEmpty()) {
            parts.add("Responses clients of " + responses + " lose hosted tools (web_search, file_search, code_interpreter, mcp, "
                    + "image_generation, local_shell, tool_search, …), their history items and text.verbosity");
        }
        List<String> anthropic = models(config, upstreams, Dialect.ANTHROPIC_MESSAGES);
        if (!anthropic.isEmpty()) {
            parts.add("Anthropic clients of " + anthropic + " lose server tools (web_search, bash, code_execution, …), top_k and "
                    + "cache_control");
        }
        List<String> chat = models(config, upstreams, Dialect.CHAT_COMPLETIONS);
        if (!chat.isEmpty()) {
            parts.add("Chat Completions clients of " + chat + " lose logprobs, logit_bias, seed, penalties and json_object");
        }
        return parts.isEmpty() ? null : "translated routes leave out what their upstream has no equivalent for (by design, "
                + "not logged per request): " + String.join("; ", parts);
    }

    /** Configured names whose first deployment's provider does not speak {@code dialect} (so its clients are translated). */
    private static List<String> models(GatewayConfig config, Upstreams upstreams, Dialect dialect) {
        List<String> names = new ArrayList<>();
        for (GatewayConfig.Model model : config.models()) {
            if (!upstreams.get(model.deployments().get(0).provider()).nativeDialects().contains(dialect)) {
                names.add(model.name());
            }
        }
        return names;
    }
}
