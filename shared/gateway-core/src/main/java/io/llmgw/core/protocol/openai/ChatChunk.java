package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.llmgw.core.json.Json;
import io.llmgw.core.json.ObjectScan;
import io.llmgw.core.json.ScannedInt;
import io.llmgw.core.model.Usage;
import java.io.IOException;
import java.util.ArrayList;

/**
 * The fields of one chat-completions stream chunk that the gateway acts on, read in one pass of
 * Jackson's streaming parser over the event's bytes: every streamed chunk used to become a JSON
 * tree, most of the allocation of a translated stream. Everything else is skipped unread.
 *
 * <p>The readings are those of the tree code they replace, so hostile chunks come out as before:
 * a chunk that is not one well-formed JSON object is refused as a whole ({@link #read} is false);
 * a field of the wrong type reads as absent; of duplicate keys the last counts; a skipped string
 * is still checked to be valid UTF-8, as decoding it would. One instance serves a whole stream,
 * refilled by every {@link #read}: per chunk the view adds only the strings it keeps to the
 * parser's own objects (a Jackson parser cannot be reused for the next document).
 */
public final class ChatChunk extends ObjectScan {
    /** How many choices (and tool-call fragments per choice) are kept for the next chunk; a hostile chunk's thousands are not. */
    static final int POOLED = 8;

    private final boolean decoding;
    private final ArrayList<ChatChunkChoice> choicePool = new ArrayList<>();
    private int choiceCount;
    private boolean error;
    private String id;
    private String model;
    private boolean modelSeen;
    private String firstModel;
    private int firstModelStart;
    private int firstModelEnd;
    private boolean usage;
    private Integer promptTokens;
    private Integer completionTokens;
    private Integer cachedTokens;
    private Integer reasoningTokens;

    private ChatChunk(boolean decoding) {
        this.decoding = decoding;
    }

    /** For a decoder: reads the texts (id, content, reasoning, tool-call fragments, stop sequences) too. */
    public static ChatChunk forDecoding() {
        return new ChatChunk(true);
    }

    /**
     * For a stream relayed as it came: the texts are not kept, only whether they are there; where
     * the first top-level {@code model} string sits is kept instead, for {@link #modelAt()}.
     */
    public static ChatChunk forRelay() {
        return new ChatChunk(false);
    }

    @Override
    protected void clear() {
        trim(choicePool);
        choiceCount = 0;
        error = false;
        id = null;
        model = null;
        modelSeen = false;
        firstModel = null;
        usage = false;
        promptTokens = completionTokens = cachedTokens = reasoningTokens = null;
    }

    @Override
    protected void readFields(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "error" -> {
                    error = token != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                }
                case "id" -> id = decoding ? text(parser, token) : skip(parser);
                case "model" -> readModel(parser, token);
                case "usage" -> readUsage(parser, token);
                case "choices" -> readChoices(parser, token);
                default -> parser.skipChildren();
            }
        }
    }

    private void readModel(JsonParser parser, JsonToken token) throws IOException {
        // The first model field is the one a byte-preserving rewrite finds (Json.findString); the last is the tree's value.
        boolean first = !modelSeen;
        modelSeen = true;
        if (token != JsonToken.VALUE_STRING) {
            model = skip(parser);
            return;
        }
        if (first && !decoding) {
            firstModelStart = (int) parser.currentTokenLocation().getByteOffset();
            model = parser.getText();  // reads to the closing quote, where the current location then is
            firstModelEnd = (int) parser.currentLocation().getByteOffset();
            firstModel = model;
        } else {
            model = parser.getText();
        }
    }

    private void readUsage(JsonParser parser, JsonToken token) throws IOException {
        usage = token == JsonToken.START_OBJECT;
        promptTokens = completionTokens = cachedTokens = reasoningTokens = null;
        if (!usage) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "prompt_tokens" -> promptTokens = intOrNull(parser, value);
                case "completion_tokens" -> completionTokens = intOrNull(parser, value);
                case "prompt_tokens_details" -> cachedTokens = nestedInt(parser, value, "cached_tokens");
                case "completion_tokens_details" -> reasoningTokens = nestedInt(parser, value, "reasoning_tokens");
                default -> parser.skipChildren();
            }
        }
    }

    private void readChoices(JsonParser parser, JsonToken token) throws IOException {
        choiceCount = 0;
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        for (JsonToken element; (element = parser.nextToken()) != JsonToken.END_ARRAY && element != null; ) {
            if (choiceCount == choicePool.size()) {
                choicePool.add(new ChatChunkChoice(decoding));
            }
            choicePool.get(choiceCount++).read(parser, element);
        }
    }

    /** Whether the chunk carries an {@code error} (anything but null): the stream failed upstream. */
    public boolean hasError() {
        return error;
    }

    /** The chunk's {@code id}; null when not a string, and always when read {@link #forRelay()}. */
    public String id() {
        return id;
    }

    /** The chunk's {@code model}; null when not a string. */
    public String model() {
        return model;
    }

    /**
     * Where the chunk's first top-level {@code model} value is, when that is a string, for a rewrite that
     * keeps every other byte; null when it is not, or the chunk was read {@link #forDecoding()}.
     */
    public Json.StringAt modelAt() {
        return firstModel == null ? null : new Json.StringAt(firstModelStart, firstModelEnd, firstModel);
    }

    /** The {@code usage} object, as {@link ChatWire#usage} reads it; null when absent or not an object. */
    public Usage usage() {
        return usage ? new Usage(promptTokens, completionTokens, cachedTokens, null, reasoningTokens) : null;
    }

    /** How many {@code choices} there are; 0 when the field is absent or not an array. */
    public int choiceCount() {
        return choiceCount;
    }

    /** Choice {@code i} in wire order, {@code 0 <= i < choiceCount()}; valid until the next {@link #read}. */
    public ChatChunkChoice choice(int i) {
        if (i >= choiceCount) {
            throw new IndexOutOfBoundsException(i);
        }
        return choicePool.get(i);
    }

    /** Whether some choice has a tool-call fragment without {@code index} (Gemini's), which a relay numbers. */
    public boolean hasToolCallWithoutIndex() {
        for (int i = 0; i < choiceCount; i++) {
            if (choicePool.get(i).hasToolCallWithoutIndex()) {
                return true;
            }
        }
        return false;
    }

    /** Drops what a pool holds beyond {@link #POOLED}, so one long chunk does not stay in memory for the rest of the stream. */
    static void trim(ArrayList<?> pool) {
        if (pool.size() > POOLED) {
            pool.subList(POOLED, pool.size()).clear();
            pool.trimToSize();
        }
    }

    /** A number as a tree's {@code intValue()} gives it (wrapped, or truncated towards zero); null for anything else. */
    static Integer intOrNull(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> ScannedInt.truncated(parser, token);
            default -> {
                parser.skipChildren();
                yield null;
            }
        };
    }

    /** The number in field {@code field} of the object the parser is at; null when there is none, or no object. */
    private static Integer nestedInt(JsonParser parser, JsonToken token, String field) throws IOException {
        Integer value = null;
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken next = parser.nextToken();
            if (name.equals(field)) {
                value = intOrNull(parser, next);
            } else {
                parser.skipChildren();
            }
        }
        return value;
    }
}
