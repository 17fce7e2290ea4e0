package io.llmgw.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Structured output: plain text, any JSON object, or JSON matching {@code schema}. */
public record ResponseFormat(Type type, String name, JsonNode schema, Boolean strict) {
    public enum Type { TEXT, JSON_OBJECT, JSON_SCHEMA }
}
