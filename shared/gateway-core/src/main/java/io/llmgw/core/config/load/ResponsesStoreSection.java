package io.llmgw.core.config.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ConfigValues;
import io.llmgw.core.config.ResponsesStoreConfig;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/** Reads {@code responses_store:} — stored Responses: on or off, TTL, encryption key, largest record. */
final class ResponsesStoreSection {
    static final Set<String> KEYS = Set.of("enabled", "ttl", "encryption_key", "max_bytes");
    /** A year: OpenAI keeps responses 30 days; longer retention is a choice, centuries a typo. */
    private static final Duration MAX_TTL = Duration.ofDays(365);
    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(kb|mb)?");
    private static final long MIN_BYTES = 16 * 1024;
    private static final long MAX_BYTES = 256L * 1024 * 1024;

    private ResponsesStoreSection() {}

    static ResponsesStoreConfig read(JsonNode node) {
        ResponsesStoreConfig defaults = ResponsesStoreConfig.defaults();
        if (node == null || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            throw new ConfigException("responses_store: must be a mapping like { enabled: true, ttl: 30d }");
        }
        ConfigFile.checkKeys(node, "responses_store", KEYS);
        boolean enabled = node.has("enabled") ? ConfigFile.bool(node.get("enabled"), "responses_store.enabled") : defaults.enabled();
        Duration ttl = node.hasNonNull("ttl") ? ConfigValues.duration(node.get("ttl").asText(), "responses_store.ttl", "s", MAX_TTL)
                : defaults.ttl();
        SecretKeySpec key = node.hasNonNull("encryption_key")
                ? key(node.get("encryption_key").asText(), "responses_store.encryption_key") : null;
        long maxBytes = node.hasNonNull("max_bytes") ? size(node.get("max_bytes").asText()) : defaults.maxBytes();
        return new ResponsesStoreConfig(enabled, ttl, key, maxBytes);
    }

    /** 16, 24 or 32 bytes in base64 (AES-128, -192, -256); the value itself never appears in a message. */
    static SecretKeySpec key(String text, String path) {
        String fix = "; generate one with: openssl rand -base64 32 (and pass it in through ${NAME}, not in the file)";
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException notStandard) {
            try {
                bytes = Base64.getUrlDecoder().decode(text.trim());
            } catch (IllegalArgumentException notUrl) {
                throw new ConfigException(path + ": is not base64" + fix);
            }
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw new ConfigException(path + ": must decode to 32 bytes (or 16 or 24), not " + bytes.length + fix);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static long size(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long unit = m.group(2) == null ? 1 : m.group(2).equals("kb") ? 1024 : 1024 * 1024;
            long bytes = Long.parseLong(m.group(1)) * unit;
            if (bytes >= MIN_BYTES && bytes <= MAX_BYTES) {
                return bytes;
            }
        }
        throw new ConfigException("responses_store.max_bytes: '" + text + "' is not a size between 16KB and 256MB; write e.g. 8MB, "
                + "512KB or a number of bytes");
    }
}
