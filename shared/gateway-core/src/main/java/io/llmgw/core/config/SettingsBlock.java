package io.llmgw.core.config;

import java.net.URI;
import java.time.Duration;

/**
 * One provider's settings as written (a YAML block, or environment variables), for its factory to
 * read. Every read names the value's source in its error, so a message says exactly what to fix.
 */
public interface SettingsBlock {
    /** The provider's name (its key under {@code providers:}, or the environment provider's name). */
    String provider();

    /** The value of {@code key}, trimmed; null when absent or blank. */
    String text(String key);

    /** The file key ({@code providers.x.base_url}) or environment variable a value came from. */
    String source(String key);

    /** Whether {@code key}'s value came from the environment rather than the configuration file. */
    boolean fromEnvironment(String key);

    /** The port the gateway itself listens on (an upstream URL from the environment must not be it). */
    int gatewayPort();

    /**
     * An upstream URL: absolute http(s) with a host, https unless the host is a loopback address, no
     * credentials, query or fragment, and — when it came from the environment — not this gateway's
     * own address. Null when absent.
     */
    default URI url(String key) {
        String value = text(key);
        if (value == null) {
            return null;
        }
        URI url = ConfigValues.upstreamUrl(value, source(key));
        if (fromEnvironment(key)) {
            ConfigValues.notThisGateway(url, source(key), gatewayPort());
        }
        return url;
    }

    /** A duration such as {@code 600s}, {@code 20ms}; a bare number is {@code bareUnit}. Null when absent. */
    default Duration duration(String key, String bareUnit) {
        String value = text(key);
        return value == null ? null : ConfigValues.duration(value, source(key), bareUnit);
    }

    /** One of {@code choices} (case-insensitive), or {@code fallback} when absent. */
    default String choice(String key, String fallback, String... choices) {
        String value = text(key);
        if (value == null) {
            return fallback;
        }
        for (String choice : choices) {
            if (choice.equalsIgnoreCase(value)) {
                return choice;
            }
        }
        throw new ConfigException(source(key) + ": '" + value + "' is not a choice; use " + String.join(" or ", choices));
    }

    /** Refuses a key this type has no use for, so a copied block does not silently mean something else. */
    default void notUsed(String key, String type, String why) {
        if (text(key) != null) {
            throw new ConfigException(source(key) + ": not used by type " + type + (why == null ? "" : " (" + why + ")")
                    + "; remove it");
        }
    }
}
