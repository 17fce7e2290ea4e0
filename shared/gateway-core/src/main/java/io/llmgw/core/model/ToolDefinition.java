package io.llmgw.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the model may call.
 *
 * @param inputSchema JSON schema of a function tool's input (null for custom tools)
 * @param strict      whether the client asked for strict schema adherence; null when unsaid
 * @param custom      a free-form tool whose input is raw text (Responses {@code custom} tools)
 * @param format      for custom tools, the client's format object (grammar or text), else null
 */
public record ToolDefinition(String name, String description, JsonNode inputSchema, Boolean strict, boolean custom, JsonNode format) {
    public static ToolDefinition function(String name, String description, JsonNode inputSchema) {
        return new ToolDefinition(name, description, inputSchema, null, false, null);
    }
}
