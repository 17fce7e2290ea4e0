package io.llmgw.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A scripted chat-completions answer — text, tool calls with argument deltas, parallel calls,
 * usage — rendered as one JSON body or as a chunk stream depending on the request, the way
 * OpenAI (or, with {@link #azureQuirks()}, Azure OpenAI) would send it.
 */
public final class ChatScript {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record ToolCall(String id, String name, String arguments) {}

    private final List<String> texts = new ArrayList<>();
    private final List<ToolCall> toolCalls = new ArrayList<>();
    private String reasoning;
    private int chunkSize = 4;
    private int argumentFragments = 3;
    private int promptTokens = 12;
    private int completionTokens = 7;
    private int cachedTokens;
    private String model = "gpt-4o-2024-08-06";
    private String finishReason;
    private String matchedStop;
    private boolean azure;
    private boolean usageAlways;

    private ChatScript() {}

    public static ChatScript text(String text) {
        return new ChatScript().andText(text);
    }

    public static ChatScript empty() {
        return new ChatScript();
    }

    public ChatScript andText(String text) {
        texts.add(text);
        return this;
    }

    /** Reasoning text sent before the content, as {@code reasoning_content} (DeepSeek, vLLM). */
    public ChatScript reasoning(String text) {
        reasoning = text;
        return this;
    }

    /** Adds a tool call; several make parallel calls, streamed one after another with their own index. */
    public ChatScript toolCall(String id, String name, String argumentsJson) {
        toolCalls.add(new ToolCall(id, name, argumentsJson));
        return this;
    }

    /** Characters per streamed content delta. */
    public ChatScript chunkSize(int characters) {
        chunkSize = characters;
        return this;
    }

    /** How many deltas each tool call's arguments are split into. */
    public ChatScript argumentFragments(int count) {
        argumentFragments = count;
        return this;
    }

    public ChatScript usage(int prompt, int completion) {
        promptTokens = prompt;
        completionTokens = completion;
        return this;
    }

    public ChatScript cachedTokens(int cached) {
        cachedTokens = cached;
        return this;
    }

    public ChatScript model(String name) {
        model = name;
        return this;
    }

    public ChatScript finishReason(String reason) {
        finishReason = reason;
        return this;
    }

    /**
     * Says which stop sequence ended the text the way vLLM does: {@code stop_reason: "<sequence>"}
     * beside {@code finish_reason: "stop"} on the finishing choice.
     */
    public ChatScript vllmStopReason(String sequence) {
        matchedStop = sequence;
        finishReason = "stop";
        return this;
    }

    /**
     * Azure's stream shape: a first chunk with empty {@code choices} and {@code prompt_filter_results},
     * {@code content_filter_results} on content chunks, and content-filter-only chunks with empty deltas.
     */
    public ChatScript azureQuirks() {
        azure = true;
        return this;
    }

    /** Sends usage on the final chunk even when the request did not ask for it. */
    public ChatScript usageAlways() {
        usageAlways = true;
        return this;
    }

    /** A handler answering every request with this script. */
    public Function<RecordedRequest, Reply> handler() {
        return this::reply;
    }

    public Reply reply(RecordedRequest request) {
        return request.wantsStream() ? Reply.sse(chunks(request.json().path("stream_options").path("include_usage").asBoolean(false)))
                : Reply.json(200, completion());
    }

    private String finish() {
        return finishReason != null ? finishReason : toolCalls.isEmpty() ? "stop" : "tool_calls";
    }

    /** The non-streamed {@code chat.completion} body. */
    public String completion() {
        ObjectNode body = envelope("chat.completion");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        String content = String.join("", texts);
        if (content.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", content);
        }
        if (reasoning != null) {
            message.put("reasoning_content", reasoning);
        }
        message.putNull("refusal");
        if (!toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : toolCalls) {
                ObjectNode node = calls.addObject();
                node.put("id", call.id());
                node.put("type", "function");
                node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finish());
        if (matchedStop != null) {
            choice.put("stop_reason", matchedStop);
        }
        body.set("usage", usage());
        if (azure) {
            body.putArray("prompt_filter_results").addObject().put("prompt_index", 0);
        }
        return write(body);
    }

    /** The stream's {@code data:} payloads in order, ending with {@code [DONE]}. */
    public List<String> chunks(boolean includeUsage) {
        List<String> chunks = new ArrayList<>();
        if (azure) {
            ObjectNode first = JSON.createObjectNode();
            first.putArray("choices");
            first.put("created", 0);
            first.put("id", "");
            first.put("model", "");
            first.put("object", "");
            first.putArray("prompt_filter_results").addObject().put("prompt_index", 0)
                    .putObject("content_filter_results").putObject("hate").put("filtered", false).put("severity", "safe");
            chunks.add(write(first));
        }
        ObjectNode role = JSON.createObjectNode().put("role", "assistant").put("content", "");
        role.putNull("refusal");
        chunks.add(chunk(role, null));
        if (reasoning != null) {
            for (String piece : split(reasoning, chunkSize)) {
                chunks.add(chunk(JSON.createObjectNode().put("reasoning_content", piece), null));
            }
        }
        for (String text : texts) {
            for (String piece : split(text, chunkSize)) {
                chunks.add(chunk(JSON.createObjectNode().put("content", piece), null));
            }
        }
        for (int i = 0; i < toolCalls.size(); i++) {
            ToolCall call = toolCalls.get(i);
            ObjectNode head = JSON.createObjectNode();
            ObjectNode first = head.putArray("tool_calls").addObject();
            first.put("index", i).put("id", call.id()).put("type", "function");
            first.putObject("function").put("name", call.name()).put("arguments", "");
            chunks.add(chunk(head, null));
            int size = Math.max(1, (call.arguments().length() + argumentFragments - 1) / argumentFragments);
            for (String piece : split(call.arguments(), size)) {
                ObjectNode delta = JSON.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", piece);
                chunks.add(chunk(delta, null));
            }
        }
        if (azure) {
            chunks.add(chunk(JSON.createObjectNode(), null));
        }
        ObjectNode last = envelope("chat.completion.chunk");
        ObjectNode choice = last.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", finish());
        if (matchedStop != null) {
            choice.put("stop_reason", matchedStop);
        }
        if (usageAlways) {
            last.set("usage", usage());
        }
        chunks.add(write(last));
        if (includeUsage) {
            ObjectNode usageChunk = envelope("chat.completion.chunk");
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage());
            chunks.add(write(usageChunk));
        }
        chunks.add("[DONE]");
        return chunks;
    }

    private String chunk(ObjectNode delta, String finish) {
        ObjectNode body = envelope("chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (azure) {
            choice.putObject("content_filter_results").putObject("hate").put("filtered", false).put("severity", "safe");
        }
        return write(body);
    }

    private ObjectNode envelope(String object) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-fake1");
        body.put("object", object);
        body.put("created", 1760000000);
        body.put("model", model);
        body.put("system_fingerprint", "fp_fake");
        return body;
    }

    private ObjectNode usage() {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
        return usage;
    }

    /** {@code text} in pieces of {@code size} characters, never splitting a surrogate pair. */
    static List<String> split(String text, int size) {
        List<String> pieces = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int end = Math.min(text.length(), i + size);
            // never split a surrogate pair: a real upstream sends whole characters in each delta
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end++;
            }
            pieces.add(text.substring(i, end));
            i = end;
        }
        return pieces;
    }

    static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
