package io.llmgw.core.provider.mock;

import io.llmgw.core.config.ProviderSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mock's pacing: a wait before the first token and between tokens (both zero unless set).
 *
 * @param firstToken {@code first_token_delay}
 * @param perToken   {@code token_delay}
 */
public record MockSettings(Duration firstToken, Duration perToken) implements ProviderSettings {
    public static final MockSettings NONE = new MockSettings(Duration.ZERO, Duration.ZERO);

    /** None: the mock answers inside the gateway. */
    @Override
    public URI endpoint() {
        return null;
    }

    @Override
    public Map<String, String> view() {
        Map<String, String> view = new LinkedHashMap<>();
        view.put("first_token_delay", firstToken.toMillis() + "ms");
        view.put("token_delay", perToken.toMillis() + "ms");
        return view;
    }
}
