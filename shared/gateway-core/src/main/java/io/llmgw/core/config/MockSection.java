package io.llmgw.core.config;

import io.llmgw.core.config.ConfigDraft.ProviderDraft;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code mock} provider type: it answers inside the gateway, so it has no URL and no key, only
 * optional pacing. Keys that mean something for the other types are refused rather than ignored, so
 * a block switched to {@code type: mock} does not silently keep a URL or a key that goes nowhere.
 */
final class MockSection {
    /** Longer waits would only be mistakes; the upstream timeout still bounds the whole answer. */
    static final Duration MAX_FIRST_TOKEN_DELAY = Duration.ofSeconds(60);
    static final Duration MAX_TOKEN_DELAY = Duration.ofSeconds(1);

    private MockSection() {}

    static GatewayConfig.Provider provider(ProviderDraft p, ConfigDraft draft) {
        notUsed(p, "base_url", p.baseUrl);
        notUsed(p, "chat_completions_url", p.chatCompletionsUrl);
        notUsed(p, "api_key", ConfigValues.apiKey(p.apiKey));
        notUsed(p, "api_version", p.apiVersion);
        if (p.responses != null && !p.responses.trim().equalsIgnoreCase("chat")) {
            throw new ConfigException(p.source("responses") + ": type mock serves Responses clients by translation to chat "
                    + "completions only; remove the key");
        }
        GatewayConfig.MockLatency latency = new GatewayConfig.MockLatency(
                delay(p.firstTokenDelay, p.source("first_token_delay"), MAX_FIRST_TOKEN_DELAY),
                delay(p.tokenDelay, p.source("token_delay"), MAX_TOKEN_DELAY));
        return new GatewayConfig.Provider(p.name, ProviderType.MOCK, null, null, null, null,
                p.connectTimeout == null ? draft.connectTimeout : p.connectTimeout,
                p.timeout == null ? draft.timeout : p.timeout,
                p.maxConcurrency, false, latency);
    }

    /** Pacing belongs to the mock; on a real upstream it would be silently meaningless. */
    static void refusePacing(ProviderDraft p, ProviderType type) {
        for (String[] key : new String[][] {{"first_token_delay", p.firstTokenDelay}, {"token_delay", p.tokenDelay}}) {
            if (key[1] != null) {
                throw new ConfigException(p.source(key[0]) + ": only type mock is paced by the gateway; remove it from this "
                        + type.configName() + " provider");
            }
        }
    }

    /** {@code GATEWAY_MOCK}: 1 / true / yes turn the mock on, 0 / false / no leave it off. */
    static boolean enabled(String value, String variable) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw new ConfigException(variable + ": '" + value + "' is not a switch; set it to 1 to answer every "
                    + "model name with the built-in mock, or 0 (or unset it) for none");
        };
    }

    private static void notUsed(ProviderDraft p, String key, String value) {
        if (value != null) {
            throw new ConfigException(p.source(key) + ": not used by type mock, which answers inside the gateway without a URL "
                    + "or a key; remove it");
        }
    }

    private static Duration delay(String value, String source, Duration max) {
        if (value == null || value.trim().matches("0+\\s*(ms|s|m|h)?")) {
            return Duration.ZERO;
        }
        Duration delay = ConfigValues.duration(value, source, "ms");
        if (delay.compareTo(max) > 0) {
            throw new ConfigException(source + ": '" + value + "' is longer than the mock allows (" + max.toMillis()
                    + "ms); write a shorter delay, e.g. 20ms");
        }
        return delay;
    }
}
