package io.llmgw.core.dialect.openai.responses;

import static io.llmgw.core.dialect.FieldTypes.Type.ARRAY;
import static io.llmgw.core.dialect.FieldTypes.Type.BOOLEAN;
import static io.llmgw.core.dialect.FieldTypes.Type.INTEGER;
import static io.llmgw.core.dialect.FieldTypes.Type.NUMBER;
import static io.llmgw.core.dialect.FieldTypes.Type.OBJECT;
import static io.llmgw.core.dialect.FieldTypes.Type.STRING;

import io.llmgw.core.dialect.FieldTypes;

/** The types of a Responses API request's fields, per OpenAI's API reference. */
final class ResponsesFields {
    private static final FieldTypes PART = new FieldTypes().field("type", STRING).field("text", STRING).field("image_url", STRING)
            .field("file_id", STRING).field("file_data", STRING).field("file_url", STRING).field("filename", STRING)
            .field("detail", STRING);
    private static final FieldTypes ITEM = new FieldTypes().field("type", STRING).field("role", STRING).field("id", STRING)
            .objects("content", PART, true).field("call_id", STRING).field("name", STRING).field("arguments", STRING)
            .field("input", STRING).field("output", STRING, ARRAY, OBJECT).field("status", STRING).field("summary", ARRAY)
            .field("encrypted_content", STRING);
    private static final FieldTypes TOOL = new FieldTypes().field("type", STRING).field("name", STRING).field("description", STRING)
            .field("parameters", OBJECT).field("strict", BOOLEAN).field("format", OBJECT);

    static final FieldTypes BODY = new FieldTypes()
            .field("model", STRING).objects("input", ITEM, true).field("instructions", STRING)
            .field("stream", BOOLEAN).field("max_output_tokens", INTEGER).field("max_tool_calls", INTEGER)
            .field("temperature", NUMBER).field("top_p", NUMBER).field("top_logprobs", INTEGER)
            .objects("tools", TOOL, false).field("tool_choice", STRING, OBJECT).field("parallel_tool_calls", BOOLEAN)
            .field("previous_response_id", STRING).field("conversation", STRING, OBJECT)
            .object("reasoning", new FieldTypes().field("effort", STRING).field("summary", STRING))
            .object("text", new FieldTypes().field("verbosity", STRING).field("format", OBJECT))
            .field("store", BOOLEAN).field("background", BOOLEAN).field("metadata", OBJECT).field("user", STRING)
            .field("safety_identifier", STRING).field("prompt_cache_key", STRING).field("truncation", STRING)
            .field("include", ARRAY).field("service_tier", STRING).field("stream_options", OBJECT).field("prompt", OBJECT);

    private ResponsesFields() {}
}
