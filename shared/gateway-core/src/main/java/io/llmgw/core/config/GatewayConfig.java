package io.llmgw.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The effective, validated configuration. Built by {@link ConfigLoader}; immutable.
 *
 * @param keepAlive how long a started stream may stay silent before the gateway sends the
 *                  client's keep-alive frame (Anthropic ping, SSE comment)
 */
public record GatewayConfig(
        int port,
        Auth auth,
        List<String> corsAllowedOrigins,
        boolean configEndpointEnabled,
        Map<String, Provider> providers,
        List<Model> models,
        Duration keepAlive) {

    /**
     * @param keys    gateway keys clients present
     * @param headers the request headers a key is accepted from, lower case
     */
    public record Auth(AuthMode mode, List<String> keys, List<String> headers) {}

    /**
     * An upstream endpoint and its credential.
     *
     * @param chatCompletionsUrl a full chat-completions URL overriding {@code baseUrl} (BACKEND_URL)
     * @param apiKey             null when the provider takes no key (local servers)
     * @param apiVersion         Azure api-version, or {@code v1} for Azure's /openai/v1/ path
     * @param nativeResponses    the upstream serves the Responses API itself ({@code responses: native}), so
     *                           Responses clients are passed through instead of translated to chat completions
     */
    public record Provider(
            String name,
            ProviderType type,
            URI baseUrl,
            URI chatCompletionsUrl,
            String apiKey,
            String apiVersion,
            Duration connectTimeout,
            Duration timeout,
            boolean nativeResponses) {

        /** A provider that speaks chat completions only. */
        public Provider(String name, ProviderType type, URI baseUrl, URI chatCompletionsUrl, String apiKey, String apiVersion,
                        Duration connectTimeout, Duration timeout) {
            this(name, type, baseUrl, chatCompletionsUrl, apiKey, apiVersion, connectTimeout, timeout, false);
        }
    }

    /**
     * A model name clients ask for (exact, or a glob with {@code *} and {@code ?}) and the
     * deployments that serve it, in priority order.
     */
    public record Model(String name, List<Deployment> deployments) {
        public boolean isPattern() {
            return name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
        }
    }

    /**
     * @param model           the upstream model or Azure deployment; null = the name the client asked for
     * @param maxOutputTokens the upstream's output-token ceiling; client requests above it are clamped
     * @param reasoning       whether the upstream model is a reasoning model (takes reasoning effort,
     *                        refuses sampling parameters); null = infer from the model name
     */
    public record Deployment(String provider, String model, Integer maxOutputTokens, Boolean reasoning) {}

    public boolean hasUpstream() {
        return !providers.isEmpty() && !models.isEmpty();
    }
}
