package io.llmgw.core.protocol.openai;

import io.llmgw.core.config.SettingsBlock;

/** {@code responses: native | chat}, the setting of the OpenAI-family providers that can serve the Responses API themselves. */
public final class ResponsesSetting {
    private ResponsesSetting() {}

    /** True for {@code native}: Responses clients are passed through; {@code chat} (the default) translates them to chat completions. */
    public static boolean nativeResponses(SettingsBlock block) {
        String value = block.text("responses");
        if (value == null || value.equalsIgnoreCase("chat")) {
            return false;
        }
        if (!value.equalsIgnoreCase("native")) {
            throw new io.llmgw.core.config.ConfigException(block.source("responses") + ": '" + value + "' is not a choice; use native "
                    + "(the upstream serves /responses itself, requests pass through) or chat (translate to chat completions, the default)");
        }
        return true;
    }
}
