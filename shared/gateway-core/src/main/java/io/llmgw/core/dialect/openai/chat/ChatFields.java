package io.llmgw.core.dialect.openai.chat;

import static io.llmgw.core.dialect.FieldTypes.Type.ARRAY;
import static io.llmgw.core.dialect.FieldTypes.Type.BOOLEAN;
import static io.llmgw.core.dialect.FieldTypes.Type.INTEGER;
import static io.llmgw.core.dialect.FieldTypes.Type.NUMBER;
import static io.llmgw.core.dialect.FieldTypes.Type.OBJECT;
import static io.llmgw.core.dialect.FieldTypes.Type.STRING;

import io.llmgw.core.dialect.FieldTypes;

/** The types of a Chat Completions request's fields, per OpenAI's API reference. */
final class ChatFields {
    private static final FieldTypes PART = new FieldTypes().field("type", STRING).field("text", STRING)
            .field("image_url", OBJECT, STRING).field("input_audio", OBJECT).field("file", OBJECT);
    private static final FieldTypes FUNCTION = new FieldTypes().field("name", STRING).field("description", STRING)
            .field("parameters", OBJECT).field("strict", BOOLEAN);
    private static final FieldTypes TOOL_CALL = new FieldTypes().field("id", STRING).field("type", STRING)
            .object("function", new FieldTypes().field("name", STRING));
    private static final FieldTypes MESSAGE = new FieldTypes().field("role", STRING).objects("content", PART, true)
            .field("name", STRING).objects("tool_calls", TOOL_CALL, false).field("tool_call_id", STRING)
            .field("refusal", STRING).field("reasoning_content", STRING);
    private static final FieldTypes TOOL = new FieldTypes().field("type", STRING).object("function", FUNCTION);

    static final FieldTypes BODY = new FieldTypes()
            .field("model", STRING).objects("messages", MESSAGE, false)
            .field("stream", BOOLEAN).object("stream_options", new FieldTypes().field("include_usage", BOOLEAN))
            .field("max_tokens", INTEGER).field("max_completion_tokens", INTEGER).field("n", INTEGER).field("seed", INTEGER)
            .field("top_logprobs", INTEGER)
            .field("temperature", NUMBER).field("top_p", NUMBER).field("frequency_penalty", NUMBER).field("presence_penalty", NUMBER)
            .field("stop", STRING, ARRAY).objects("tools", TOOL, false).field("tool_choice", STRING, OBJECT)
            .field("parallel_tool_calls", BOOLEAN).object("response_format", new FieldTypes().field("type", STRING)
                    .field("json_schema", OBJECT))
            .field("user", STRING).field("safety_identifier", STRING).field("prompt_cache_key", STRING)
            .field("logprobs", BOOLEAN).field("logit_bias", OBJECT).field("reasoning_effort", STRING).field("verbosity", STRING)
            .field("metadata", OBJECT).field("store", BOOLEAN).field("modalities", ARRAY).field("service_tier", STRING)
            .field("prediction", OBJECT).field("audio", OBJECT).field("web_search_options", OBJECT);

    private ChatFields() {}
}
