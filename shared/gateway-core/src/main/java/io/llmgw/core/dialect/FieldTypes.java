package io.llmgw.core.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON types a dialect's fields must have, checked before anything reads the body, so a
 * wrongly typed field is a 400 naming it ({@code "stream": "yes please"} is not true) instead of a
 * value silently coerced or a failure deep inside a translation. Null is accepted for every
 * optional field, as the APIs themselves accept it; unknown fields are left alone.
 */
public final class FieldTypes {
    /** JSON value types; INTEGER is a number with no fraction that fits in a 32-bit int. */
    public enum Type {
        STRING, BOOLEAN, INTEGER, NUMBER, OBJECT, ARRAY;

        boolean matches(JsonNode node) {
            return switch (this) {
                case STRING -> node.isTextual();
                case BOOLEAN -> node.isBoolean();
                case INTEGER -> node.isIntegralNumber() ? node.canConvertToInt()
                        : node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue()) && Math.abs(node.doubleValue()) <= Integer.MAX_VALUE;
                case NUMBER -> node.isNumber() && Double.isFinite(node.doubleValue());
                case OBJECT -> node.isObject();
                case ARRAY -> node.isArray();
            };
        }

        String noun() {
            return switch (this) {
                case STRING -> "a string";
                case BOOLEAN -> "true or false";
                case INTEGER -> "an integer";
                case NUMBER -> "a number";
                case OBJECT -> "an object";
                case ARRAY -> "an array";
            };
        }
    }

    private static final Type[] TYPES = Type.values();

    /** @param elements checks each element of an array value (objects), or null; @param nested checks an object value, or null */
    private record Field(EnumSet<Type> types, FieldTypes elements, FieldTypes nested) {}

    private final Map<String, Field> fields = new LinkedHashMap<>();

    /** Declares {@code name} with the types it may have. */
    public FieldTypes field(String name, Type first, Type... more) {
        fields.put(name, new Field(EnumSet.of(first, more), null, null));
        return this;
    }

    /**
     * Declares {@code name} as an array (or, with {@code alsoString}, a string) whose elements are
     * objects checked against {@code elements}.
     */
    public FieldTypes objects(String name, FieldTypes elements, boolean alsoString) {
        fields.put(name, new Field(alsoString ? EnumSet.of(Type.ARRAY, Type.STRING) : EnumSet.of(Type.ARRAY), elements, null));
        return this;
    }

    /**
     * Declares {@code name} as an array whose elements are objects checked against {@code elements},
     * or a value of one of the {@code other} types, not checked further (Anthropic's server-tool
     * results hold an array of results or one error object).
     */
    public FieldTypes objectsOr(String name, FieldTypes elements, Type... other) {
        fields.put(name, new Field(EnumSet.of(Type.ARRAY, other), elements, null));
        return this;
    }

    /** Declares {@code name} as an object whose own fields are checked against {@code spec}. */
    public FieldTypes object(String name, FieldTypes spec) {
        fields.put(name, new Field(EnumSet.of(Type.OBJECT), null, spec));
        return this;
    }

    /** Checks {@code object}'s declared fields; {@code path} prefixes the field names in errors (empty at the top). */
    public void check(JsonNode object, String path) {
        if (!fits(object)) {
            checkInOrder(object, path);  // finds the first wrong field in declared order, the one the error names
        }
    }

    /**
     * Whether every declared field {@code object} has is of a declared type, nested fields and
     * elements too. Walks the fields the object has — a request names a handful of the dozens a
     * dialect declares — and says only yes or no; {@link #checkInOrder} names what is wrong.
     */
    private boolean fits(JsonNode object) {
        for (Map.Entry<String, JsonNode> present : object.properties()) {
            Field field = fields.get(present.getKey());
            JsonNode value = present.getValue();
            if (field == null || value.isNull()) {
                continue;
            }
            if (!matchesAny(field.types(), value) || (field.nested() != null && !field.nested().fits(value))) {
                return false;
            }
            if (field.elements() != null && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    JsonNode element = value.get(i);
                    if (!element.isObject() || !field.elements().fits(element)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void checkInOrder(JsonNode object, String path) {
        for (Map.Entry<String, Field> entry : fields.entrySet()) {
            JsonNode value = object.get(entry.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            Field field = entry.getValue();
            if (!matchesAny(field.types(), value)) {
                throw wrongType(at(path, entry.getKey()), field.types());
            }
            if (field.nested() != null) {
                field.nested().checkInOrder(value, at(path, entry.getKey()));
            }
            if (field.elements() != null && value.isArray()) {
                String at = at(path, entry.getKey());
                for (int i = 0; i < value.size(); i++) {
                    JsonNode element = value.get(i);
                    if (!element.isObject()) {
                        throw wrongType(at + "[" + i + "]", EnumSet.of(Type.OBJECT));
                    }
                    field.elements().checkInOrder(element, at + "[" + i + "]");
                }
            }
        }
    }

    /*
     * Every request checks its body against these specs, so the common case allocates nothing: no stream
     * or iterator over the accepted types, no field path unless a nested check or an error needs it.
     */
    private static boolean matchesAny(EnumSet<Type> types, JsonNode value) {
        for (Type type : TYPES) {
            if (types.contains(type) && type.matches(value)) {
                return true;
            }
        }
        return false;
    }

    private static String at(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static RuntimeException wrongType(String at, EnumSet<Type> types) {
        String expected = types.stream().map(Type::noun).collect(Collectors.joining(" or "));
        return GatewayError.of(ErrorKind.INVALID_REQUEST, "Invalid type for '" + at + "': expected " + expected + ".", "invalid_type")
                .withParam(at).exception();
    }
}
