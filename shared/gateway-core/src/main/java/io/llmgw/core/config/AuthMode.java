package io.llmgw.core.config;

import java.util.Locale;

/** Who holds the upstream credential. */
public enum AuthMode {
    /** Clients present a gateway key; the gateway uses the upstream keys from its configuration. */
    GATEWAY,
    /** The client's own key is forwarded upstream. */
    CLIENT,
    /** A gateway key uses the configured upstream key; any other key is forwarded. */
    HYBRID;

    public static AuthMode parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
