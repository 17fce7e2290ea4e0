package io.llmgw.core.provider.mock;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ProviderBlock;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.spi.AbstractProviderFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Type {@code mock}: it answers inside the gateway, so it has no URL and no key, only optional
 * pacing. Keys that mean something for the other types are refused rather than ignored, so a block
 * switched to {@code type: mock} does not silently keep a URL or a key that goes nowhere.
 * Environment: {@code GATEWAY_MOCK=1} — alone, since as a failover it would answer echoes for a real
 * upstream whenever that failed.
 */
public final class MockFactory extends AbstractProviderFactory {
    public static final String TYPE = "mock";
    /** Longer waits would only be mistakes; the upstream timeout still bounds the whole answer. */
    static final Duration MAX_FIRST_TOKEN_DELAY = Duration.ofSeconds(60);
    static final Duration MAX_TOKEN_DELAY = Duration.ofSeconds(1);
    private static final String WHY = "the mock answers inside the gateway without a URL or a key";

    public MockFactory() {
        super(TYPE, MockProvider::new, "first_token_delay", "token_delay", "base_url", "chat_completions_url", "api_version", "responses");
        environmentHints("GATEWAY_MOCK=1 (the built-in mock: local answers, no key)");
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        for (String key : List.of("base_url", "chat_completions_url", "api_version")) {
            block.notUsed(key, TYPE, WHY);
        }
        String key = block.text("api_key");
        if (key != null && !key.equalsIgnoreCase("none")) {  // empty and none mean "no key", harmless here
            block.notUsed("api_key", TYPE, WHY);
        }
        String responses = block.text("responses");
        if (responses != null && !responses.equalsIgnoreCase("chat")) {
            throw new ConfigException(block.source("responses") + ": type mock serves Responses clients by translation to chat "
                    + "completions only; remove the key");
        }
        return new MockSettings(delay(block, "first_token_delay", MAX_FIRST_TOKEN_DELAY), delay(block, "token_delay", MAX_TOKEN_DELAY));
    }

    @Override
    public List<EnvironmentProvider> fromEnvironment(Function<String, String> env) {
        String value = env.apply("GATEWAY_MOCK");
        if (value == null || value.isBlank() || !enabled(value)) {
            return List.of();
        }
        return List.of(new EnvironmentProvider(ProviderBlock.fromEnvironment("mock", env).typed(TYPE, "GATEWAY_MOCK"), null, 90, true));
    }

    /** {@code GATEWAY_MOCK}: 1 / true / yes turn the mock on, 0 / false / no leave it off. */
    private static boolean enabled(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw new ConfigException("GATEWAY_MOCK: '" + value + "' is not a switch; set it to 1 to answer every "
                    + "model name with the built-in mock, or 0 (or unset it) for none");
        };
    }

    private static Duration delay(SettingsBlock block, String key, Duration max) {
        String value = block.text(key);
        if (value == null || value.matches("0+\\s*(ms|s|m|h)?")) {
            return Duration.ZERO;
        }
        Duration delay = block.duration(key, "ms");
        if (delay.compareTo(max) > 0) {
            throw new ConfigException(block.source(key) + ": '" + value + "' is longer than the mock allows (" + max.toMillis()
                    + "ms); write a shorter delay, e.g. 20ms");
        }
        return delay;
    }
}
