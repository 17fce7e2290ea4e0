package io.llmgw.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The one configured {@link ObjectMapper} of the gateway, and small tree helpers around it. */
public final class Json {
    /**
     * Lenient on input (unknown fields are normal in every dialect), compact on output.
     * Parsers and generators take their buffers from one shared, bounded pool: Jackson's default
     * keeps them per thread, and with a virtual thread per request every stream in flight would
     * hold its own set (about 30 KB) for as long as it lasts.
     * Nesting and string limits stay at Jackson's defaults except the document size,
     * which the request and SSE limits already bound.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final ObjectWriter ASCII =
            MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(64 * 1024 * 1024)
                .build());
    }

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Deepest nesting accepted in a client's body; no dialect needs more, and tree walks stay shallow. */
    public static final int MAX_CLIENT_NESTING = 256;

    /**
     * Reads client request bodies: a key that appears twice in one object is an error, since
     * the parts of the gateway (routing, passthrough) could otherwise each see a different value.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader CLIENT_READER = clientReader();
    /** Reads one value out of a document being parsed: what follows it is the rest of the document. */
    private static final com.fasterxml.jackson.databind.ObjectReader VALUE_READER =
            MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses bytes into a tree; throws {@link JsonProcessingException} on malformed input. */
    public static JsonNode parse(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    /** Parses bytes into a tree, or null when they are not JSON: for input read on a best-effort basis. */
    public static JsonNode parseOrNull(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    /** A client's body: strict about duplicate keys and nesting depth ({@link JsonProcessingException} when violated). */
    public static JsonNode parseClient(byte[] bytes) throws IOException {
        return CLIENT_READER.readTree(bytes);
    }

    private static com.fasterxml.jackson.databind.ObjectReader clientReader() {
        com.fasterxml.jackson.core.JsonFactory factory = com.fasterxml.jackson.core.JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(64 * 1024 * 1024)
                        .maxNestingDepth(MAX_CLIENT_NESTING)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build()
                .reader();
    }

    public static JsonNode parse(byte[] bytes, int offset, int length) throws IOException {
        return MAPPER.readTree(MAPPER.getFactory().createParser(bytes, offset, length));
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tree as JSON text. Not {@code node.toString()}: that writes through Jackson's internal
     * mapper, whose buffers live in a thread-local, so every virtual thread (every stream) that
     * called it kept a set for its whole life — ~12 KB per stream with a real coding agent's
     * request (README › Memory per stream in flight; ArchitectureTest forbids the call).
     */
    public static String string(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tree as JSON text in ASCII only (any other character written as a six-character escape), for text kept
     * for a while: a Java string with a single character beyond Latin-1 takes two bytes for every
     * character, an ASCII one one.
     */
    public static String asciiString(JsonNode node) {
        try {
            return ASCII.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a field if it is a JSON string, else null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /**
     * {@code json} (an object) with the value of its top-level string field {@code field} replaced
     * and every other byte as it was, so a body passed through keeps its exact form (number
     * spellings, escapes, key order); {@code json} itself when the field already holds {@code value};
     * null when {@code json} has no such field.
     */
    public static byte[] replaceTopLevelString(byte[] json, String field, String value) throws IOException {
        StringAt at = findString(json, field);
        return at == null ? null : at.text().equals(value) ? json : at.replacedBy(json, value);
    }

    /**
     * {@code json} (an object without a top-level {@code name}) with {@code "name":value} put last,
     * where a tree's {@code put} puts it, and every other byte as it was; {@code value} is JSON as
     * written. Null when {@code json} does not end with an object's brace (whitespace aside).
     */
    public static byte[] withLastField(byte[] json, String name, String value) {
        int brace = json.length - 1;
        while (brace >= 0 && isWhitespace(json[brace])) {
            brace--;
        }
        if (brace < 0 || json[brace] != '}') {
            return null;
        }
        int before = brace - 1;
        while (before >= 0 && isWhitespace(json[before])) {
            before--;
        }
        boolean empty = before >= 0 && json[before] == '{';
        byte[] field = ((empty ? "" : ",") + "\"" + name + "\":" + value).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[json.length + field.length];
        System.arraycopy(json, 0, out, 0, brace);
        System.arraycopy(field, 0, out, brace, field.length);
        System.arraycopy(json, brace, out, brace + field.length, json.length - brace);
        return out;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /**
     * Where a string value sits in a JSON document: bytes {@code start} (its opening quote) to
     * {@code end} (after its closing quote), and its text.
     */
    public record StringAt(int start, int end, String text) {
        /** {@code json} with this value replaced by {@code value} (JSON-escaped) and every other byte kept. */
        public byte[] replacedBy(byte[] json, String value) {
            return replacedByLiteral(json, literal(value));
        }

        /** {@code json} with this value replaced by {@code replacement}, a JSON string as {@link #literal} writes it. */
        public byte[] replacedByLiteral(byte[] json, byte[] replacement) {
            byte[] out = new byte[json.length - (end - start) + replacement.length];
            System.arraycopy(json, 0, out, 0, start);
            System.arraycopy(replacement, 0, out, start, replacement.length);
            System.arraycopy(json, end, out, start + replacement.length, json.length - end);
            return out;
        }
    }

    /** {@code text} as a JSON string: quoted, and escaped where it must be. */
    public static byte[] literal(String text) {
        byte[] plain = plainAsciiLiteral(text);
        if (plain != null) {
            return plain;  // a model name, nearly always: no generator for it
        }
        try {
            return MAPPER.writeValueAsBytes(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} quoted, when it is printable ASCII with nothing to escape; null otherwise. */
    private static byte[] plainAsciiLiteral(String text) {
        byte[] out = new byte[text.length() + 2];
        out[0] = '"';
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') {
                return null;
            }
            out[i + 1] = (byte) ch;
        }
        out[out.length - 1] = '"';
        return out;
    }

    /**
     * What {@link #topLevel} found: the top-level string field's place and text, the top-level tree
     * field's value; either null when the document has no such field.
     */
    public record TopLevel(StringAt string, JsonNode tree) {}

    /**
     * The top-level string field {@code stringField} (null: none wanted) and the value of the
     * top-level field {@code treeField} as a tree, in one pass; null when the document is not an
     * object. Only that value becomes nodes; everything else is skipped as tokens, and nothing after
     * both is read: a passthrough needs the answer's model name and usage, not a tree of its choices.
     */
    public static TopLevel topLevel(byte[] json, String stringField, String treeField) throws IOException {
        try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            StringAt string = null;
            JsonNode tree = null;
            boolean stringDone = stringField == null;
            while ((!stringDone || tree == null) && parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (!stringDone && name.equals(stringField)) {
                    stringDone = true;
                    if (token == JsonToken.VALUE_STRING) {
                        string = stringHere(parser);
                        continue;
                    }
                }
                if (tree == null && name.equals(treeField)) {
                    tree = VALUE_READER.readTree(parser);
                } else {
                    parser.skipChildren();
                }
            }
            return new TopLevel(string, tree);
        }
    }

    /**
     * The string value at {@code path} (field names from the top-level object down through nested
     * objects), or null when there is none; reads only as far as the value, so a field near the
     * start of a large document is found cheaply.
     */
    public static StringAt findString(byte[] json, String... path) throws IOException {
        try (JsonParser parser = valueAt(json, path)) {
            if (parser == null || parser.currentToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            return stringHere(parser);
        }
    }

    /** The string value the parser stands on, with its place. */
    private static StringAt stringHere(JsonParser parser) throws IOException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        String text = parser.getText();  // reads to the closing quote, where the current location then is
        return new StringAt(start, (int) parser.currentLocation().getByteOffset(), text);
    }

    /**
     * A parser on {@code json} standing on the value at {@code path} (field names from the top-level
     * object down through nested objects), or null when there is none. Everything before the value is
     * skipped as tokens; the caller reads the value and closes the parser.
     */
    private static JsonParser valueAt(byte[] json, String... path) throws IOException {
        JsonParser parser = MAPPER.getFactory().createParser(json);
        try {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                int depth = 0;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken token = parser.nextToken();
                    if (!name.equals(path[depth])) {
                        parser.skipChildren();
                    } else if (depth == path.length - 1) {
                        return parser;
                    } else if (token == JsonToken.START_OBJECT) {
                        depth++;
                    } else {
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            parser.close();
            throw e;
        }
        parser.close();
        return null;
    }
}
