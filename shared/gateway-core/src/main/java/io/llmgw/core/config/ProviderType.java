package io.llmgw.core.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Upstream API families. Any OpenAI-compatible server is {@link #OPENAI} plus a base URL. */
public enum ProviderType {
    OPENAI("openai"),
    AZURE_OPENAI("azure-openai"),
    /** Gemini's OpenAI-compatible endpoint; base_url defaults to Google's. */
    GEMINI("gemini"),
    /** Anthropic's Messages API ({@code {base_url}/v1/messages}); base_url defaults to Anthropic's. */
    ANTHROPIC("anthropic"),
    /**
     * Answers inside the gateway, speaking chat completions: an echo of the last user message, tool
     * calls on request, optional latency. No URL and no key; for trying clients and for load tests.
     */
    MOCK("mock");

    private final String configName;

    ProviderType(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Whether this kind of upstream can serve the OpenAI Responses API natively ({@code responses: native}). */
    public boolean canServeResponses() {
        return this == OPENAI || this == AZURE_OPENAI;
    }

    /**
     * Whether this kind of upstream serves the Chat Completions API, so a chat client's body can
     * be passed through to it; clients of an upstream that does not are served by translation.
     */
    public boolean speaksChatCompletions() {
        return this != ANTHROPIC;
    }

    /** Whether an Anthropic Messages body can go to this kind of upstream as it is (passthrough). */
    public boolean speaksAnthropicMessages() {
        return this == ANTHROPIC;
    }

    public static ProviderType parse(String value) {
        for (ProviderType type : values()) {
            if (type.configName.equals(value)) {
                return type;
            }
        }
        return null;
    }

    public static String choices() {
        return Arrays.stream(values()).map(ProviderType::configName).collect(Collectors.joining(" | "));
    }
}
