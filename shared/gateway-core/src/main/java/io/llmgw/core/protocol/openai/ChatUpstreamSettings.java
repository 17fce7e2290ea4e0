package io.llmgw.core.protocol.openai;

import io.llmgw.core.config.ProviderSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an OpenAI-chat upstream is, as its provider types configure it: a base URL, a full
 * chat-completions URL overriding the path built on it, or both.
 */
public interface ChatUpstreamSettings extends ProviderSettings {
    /** The API root, or null when only the chat URL is known. */
    URI baseUrl();

    /** A full chat-completions URL overriding the one built on {@link #baseUrl()}, or null. */
    URI chatCompletionsUrl();

    /** The base URL, else the chat URL. */
    @Override
    default URI endpoint() {
        return baseUrl() != null ? baseUrl() : chatCompletionsUrl();
    }

    /** The URLs that are set, as configuration spells them: the start of a {@link #view()}. */
    default Map<String, String> urlView() {
        Map<String, String> view = new LinkedHashMap<>();
        if (baseUrl() != null) {
            view.put("base_url", baseUrl().toString());
        }
        if (chatCompletionsUrl() != null) {
            view.put("chat_completions_url", chatCompletionsUrl().toString());
        }
        return view;
    }
}
