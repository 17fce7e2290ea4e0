package io.llmgw.core.model;

import java.util.List;

/**
 * A generation request in the canonical model, decoded from any client dialect and encoded for
 * any upstream. Null means "not given" for every optional field.
 *
 * @param model           the name the client asked for
 * @param system          system / developer instructions, in order
 * @param maxOutputTokens the client's output-token limit
 * @param stop            stop sequences
 * @param user            an end-user id for the upstream's abuse monitoring
 */
public record CanonicalRequest(
        String model,
        List<Block.Text> system,
        List<Message> messages,
        List<ToolDefinition> tools,
        ToolChoice toolChoice,
        Boolean parallelToolCalls,
        Integer maxOutputTokens,
        Double temperature,
        Double topP,
        Integer topK,
        List<String> stop,
        Reasoning reasoning,
        ResponseFormat responseFormat,
        boolean stream,
        String user) {

    public CanonicalRequest {
        system = system == null ? List.of() : List.copyOf(system);
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public boolean hasTools() {
        return !tools.isEmpty();
    }
}
