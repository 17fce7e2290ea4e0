package io.llmgw.core.dialect.anthropic;

import static io.llmgw.core.dialect.FieldTypes.Type.ARRAY;
import static io.llmgw.core.dialect.FieldTypes.Type.BOOLEAN;
import static io.llmgw.core.dialect.FieldTypes.Type.INTEGER;
import static io.llmgw.core.dialect.FieldTypes.Type.NUMBER;
import static io.llmgw.core.dialect.FieldTypes.Type.OBJECT;
import static io.llmgw.core.dialect.FieldTypes.Type.STRING;

import io.llmgw.core.dialect.FieldTypes;

/** The types of an Anthropic Messages (and count_tokens) request's fields, per Anthropic's API reference. */
final class MessagesFields {
    private static final FieldTypes RESULT_PART = new FieldTypes().field("type", STRING).field("text", STRING)
            .field("source", OBJECT, STRING).field("cache_control", OBJECT);
    private static final FieldTypes BLOCK = new FieldTypes().field("type", STRING).field("text", STRING).field("id", STRING)
            .field("name", STRING).field("input", OBJECT).field("tool_use_id", STRING).field("is_error", BOOLEAN)
            .objectsOr("content", RESULT_PART, STRING, OBJECT).field("thinking", STRING).field("signature", STRING).field("data", STRING)
            .field("source", OBJECT, STRING).field("title", STRING).field("context", STRING).field("citations", OBJECT, ARRAY)
            .field("cache_control", OBJECT);
    private static final FieldTypes MESSAGE = new FieldTypes().field("role", STRING).objects("content", BLOCK, true);
    private static final FieldTypes SYSTEM = new FieldTypes().field("type", STRING).field("text", STRING).field("cache_control", OBJECT);
    private static final FieldTypes TOOL = new FieldTypes().field("type", STRING).field("name", STRING).field("description", STRING)
            .field("input_schema", OBJECT).field("cache_control", OBJECT);

    static final FieldTypes BODY = new FieldTypes()
            .field("model", STRING).objects("messages", MESSAGE, false).field("max_tokens", INTEGER)
            .objects("system", SYSTEM, true).field("stream", BOOLEAN)
            .field("temperature", NUMBER).field("top_p", NUMBER).field("top_k", INTEGER).field("stop_sequences", ARRAY)
            .objects("tools", TOOL, false).object("tool_choice", new FieldTypes().field("type", STRING).field("name", STRING)
                    .field("disable_parallel_tool_use", BOOLEAN))
            .object("thinking", new FieldTypes().field("type", STRING).field("budget_tokens", INTEGER))
            .field("metadata", OBJECT).field("service_tier", STRING).field("mcp_servers", ARRAY).field("container", STRING, OBJECT)
            .field("context_management", OBJECT);

    private MessagesFields() {}
}
