package io.llmgw.core.protocol.openai;

import static io.llmgw.core.json.ObjectScan.skip;
import static io.llmgw.core.json.ObjectScan.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;
import java.util.ArrayList;

/**
 * One element of a chunk's {@code choices}, as {@link ChatChunk} reads it. An element that is not an
 * object reads as a choice with nothing in it at index 0. Valid until the chunk's next read.
 */
public final class ChatChunkChoice {
    private final boolean decoding;
    private final ArrayList<ChatToolCallFragment> fragmentPool = new ArrayList<>();
    private final KeyFlags deltaValues = new KeyFlags();
    private int index;
    private boolean finishReasonPresent;
    private String finishReason;
    private String stopReason;
    private String matchedStop;
    private boolean logprobs;
    private String content;
    private String reasoningContent;
    private String reasoning;
    private int fragmentCount;
    private boolean callWithoutIndex;

    ChatChunkChoice(boolean decoding) {
        this.decoding = decoding;
    }

    void read(JsonParser parser, JsonToken token) throws IOException {
        index = 0;
        finishReasonPresent = logprobs = false;
        finishReason = stopReason = matchedStop = null;
        clearDelta();
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "index" -> index = asInt(parser, value);
                case "delta" -> readDelta(parser, value);
                case "finish_reason" -> {
                    finishReasonPresent = value != JsonToken.VALUE_NULL;
                    finishReason = text(parser, value);
                }
                case "logprobs" -> {
                    logprobs = value != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                }
                case "stop_reason" -> stopReason = decoding ? text(parser, value) : skip(parser);
                case "matched_stop" -> matchedStop = decoding ? text(parser, value) : skip(parser);
                default -> parser.skipChildren();
            }
        }
    }

    private void clearDelta() {
        content = reasoningContent = reasoning = null;
        deltaValues.clear();
        clearToolCalls();
    }

    private void clearToolCalls() {
        ChatChunk.trim(fragmentPool);
        fragmentCount = 0;
        callWithoutIndex = false;
    }

    private void readDelta(JsonParser parser, JsonToken token) throws IOException {
        clearDelta();
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            deltaValues.put(field, value != JsonToken.VALUE_NULL);
            switch (field) {
                case "content" -> content = decoding ? text(parser, value) : skip(parser);
                case "reasoning_content" -> reasoningContent = decoding ? text(parser, value) : skip(parser);
                case "reasoning" -> reasoning = decoding ? readReasoning(parser, value) : skip(parser);
                case "tool_calls" -> readToolCalls(parser, value);
                default -> parser.skipChildren();
            }
        }
    }

    /** {@code reasoning} as a string, or an object with {@code text} or else {@code content} (as {@link ChatWire#reasoning}). */
    private static String readReasoning(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return text(parser, token);
        }
        String text = null;
        String content = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "text" -> text = text(parser, value);
                case "content" -> content = text(parser, value);
                default -> parser.skipChildren();
            }
        }
        return text != null ? text : content;
    }

    /**
     * An array of fragments; or, from a server that sends an object, no fragments, but its values are
     * looked at as a tree walk over them would, for an object without {@code index}.
     */
    private void readToolCalls(JsonParser parser, JsonToken token) throws IOException {
        clearToolCalls();
        if (token == JsonToken.START_ARRAY) {
            for (JsonToken element; (element = parser.nextToken()) != JsonToken.END_ARRAY && element != null; ) {
                ChatToolCallFragment fragment = nextFragment();
                fragment.read(parser, element);
                callWithoutIndex |= fragment.isObject() && !fragment.hasIndex();
            }
        } else if (token == JsonToken.START_OBJECT) {
            KeyFlags unnumbered = new KeyFlags();
            ChatToolCallFragment value = new ChatToolCallFragment(false);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                value.read(parser, parser.nextToken());
                unnumbered.put(key, value.isObject() && !value.hasIndex());
            }
            callWithoutIndex = unnumbered.any();
        } else {
            parser.skipChildren();
        }
    }

    private ChatToolCallFragment nextFragment() {
        if (fragmentCount == fragmentPool.size()) {
            fragmentPool.add(new ChatToolCallFragment(decoding));
        }
        return fragmentPool.get(fragmentCount++);
    }

    /** A value as a tree's {@code asInt(0)} reads it: numbers truncated, a numeric string parsed, true 1, anything else 0. */
    private static int asInt(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> ChatChunk.intOrNull(parser, token);
            case VALUE_STRING -> NumberInput.parseAsInt(parser.getText(), 0);
            case VALUE_TRUE -> 1;
            default -> {
                parser.skipChildren();
                yield 0;
            }
        };
    }

    /** Its {@code index} as a tree's {@code asInt(0)} reads it: 0 when absent or not a number. */
    public int index() {
        return index;
    }

    /** Whether {@code finish_reason} is there and not null. */
    public boolean hasFinishReason() {
        return finishReasonPresent;
    }

    /** {@code finish_reason}; null when not a string. */
    public String finishReason() {
        return finishReason;
    }

    /** vLLM's {@code stop_reason} beside the finish reason; null when not a string, or read {@link ChatChunk#forRelay()}. */
    public String stopReason() {
        return stopReason;
    }

    /** SGLang's {@code matched_stop}; null when not a string, or read {@link ChatChunk#forRelay()}. */
    public String matchedStop() {
        return matchedStop;
    }

    /** Whether {@code logprobs} is there and not null. */
    public boolean hasLogprobs() {
        return logprobs;
    }

    /** Whether {@code delta} is an object with some value that is not null. */
    public boolean deltaCarriesSomething() {
        return deltaValues.any();
    }

    /** {@code delta.content}; null when not a string. Texts are null when the chunk was read {@link ChatChunk#forRelay()}. */
    public String content() {
        return content;
    }

    /** The delta's reasoning text in any of the de-facto fields, as {@link ChatWire#reasoning} finds it; null when none. */
    public String reasoning() {
        return reasoningContent != null ? reasoningContent : reasoning;
    }

    /** How many elements {@code delta.tool_calls} has; 0 when it is absent or not an array. */
    public int toolCallCount() {
        return fragmentCount;
    }

    /** Element {@code i} of {@code delta.tool_calls}, {@code 0 <= i < toolCallCount()}. */
    public ChatToolCallFragment toolCall(int i) {
        if (i >= fragmentCount) {
            throw new IndexOutOfBoundsException(i);
        }
        return fragmentPool.get(i);
    }

    /** Whether {@code delta.tool_calls} holds an object without {@code index} (Gemini leaves it out). */
    public boolean hasToolCallWithoutIndex() {
        return callWithoutIndex;
    }
}
