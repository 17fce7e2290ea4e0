package io.llmgw.core.config;

import java.time.Duration;
import javax.crypto.SecretKey;

/**
 * Stored Responses ({@code responses_store:}): whether responses created on translated routes are kept
 * for {@code GET /v1/responses/{id}} and {@code previous_response_id}, for how long, how large one may
 * be, and the key they are encrypted with at rest.
 *
 * @param ttl           how long a stored response lives
 * @param encryptionKey the AES key records are sealed with (AES-GCM), or null to store them unencrypted
 * @param maxBytes      the largest record kept, in bytes of JSON before compression (its input
 *                      history included); also the bound on a conversation continued from one
 */
public record ResponsesStoreConfig(boolean enabled, Duration ttl, SecretKey encryptionKey, long maxBytes) {
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);
    public static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;

    public static ResponsesStoreConfig defaults() {
        return new ResponsesStoreConfig(true, DEFAULT_TTL, null, DEFAULT_MAX_BYTES);
    }

    @Override
    public String toString() {
        return "ResponsesStoreConfig[enabled=" + enabled + ", ttl=" + ttl + ", encrypted=" + (encryptionKey != null)
                + ", maxBytes=" + maxBytes + "]";
    }
}
