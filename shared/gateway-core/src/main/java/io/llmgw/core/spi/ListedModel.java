package io.llmgw.core.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One model as an upstream's models route described it; every field but {@code id} may be null.
 *
 * @param anthropicEntry the entry as an Anthropic upstream wrote it (capabilities, limits, lifecycle…),
 *                       passed whole to Anthropic clients; null from other upstreams
 */
public record ListedModel(String id, Long created, String ownedBy, String displayName, String createdAt, JsonNode anthropicEntry) {
    public ListedModel(String id, Long created, String ownedBy, String displayName, String createdAt) {
        this(id, created, ownedBy, displayName, createdAt, null);
    }
}
