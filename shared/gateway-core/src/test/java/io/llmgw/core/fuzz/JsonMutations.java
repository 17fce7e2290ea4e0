package io.llmgw.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Structure-aware mutations of a JSON document driven by the fuzzer's bytes: a field or element is
 * dropped, retyped, replaced by a word real clients use, grafted from elsewhere in the document, or
 * a known field is added. Most mutants still parse, so they reach each decoder's field handling
 * rather than its JSON parser.
 */
final class JsonMutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One place in the tree: a node and the container holding it (null for the root). */
    private record Place(JsonNode parent, String field, int index, JsonNode node) {}

    /** Field names and short string values seen in the documents, as the fuzzer's vocabulary. */
    record Vocabulary(List<String> fieldNames, List<String> words) {
        static Vocabulary of(List<JsonNode> documents) {
            Set<String> names = new TreeSet<>();
            Set<String> words = new TreeSet<>();
            documents.forEach(d -> collect(d, names, words));
            return new Vocabulary(List.copyOf(names), List.copyOf(words));
        }

        private static void collect(JsonNode node, Set<String> names, Set<String> words) {
            if (node.isObject()) {
                node.fields().forEachRemaining(e -> {
                    names.add(e.getKey());
                    collect(e.getValue(), names, words);
                });
            } else if (node.isArray()) {
                node.forEach(child -> collect(child, names, words));
            } else if (node.isTextual() && node.textValue().length() <= 40) {
                words.add(node.textValue());
            }
        }
    }

    private JsonMutations() {}

    static JsonNode apply(JsonNode original, FuzzedDataProvider data, Vocabulary vocabulary) {
        JsonNode root = original.deepCopy();
        int rounds = data.consumeInt(1, 8);
        for (int i = 0; i < rounds; i++) {
            root = mutateOnce(root, data, vocabulary);
        }
        return root;
    }

    private static JsonNode mutateOnce(JsonNode root, FuzzedDataProvider data, Vocabulary vocabulary) {
        List<Place> places = new ArrayList<>();
        collect(null, null, -1, root, places);
        Place place = places.get(data.consumeInt(0, places.size() - 1));
        Place donor = places.get(data.consumeInt(0, places.size() - 1));
        switch (data.consumeInt(0, 6)) {
            case 0 -> remove(place);
            case 1 -> root = replace(root, place, scalar(data));
            case 2 -> root = replace(root, place, NODES.textNode(data.consumeBoolean() && !vocabulary.words().isEmpty()
                    ? data.pickValue(vocabulary.words()) : data.consumeString(200)));
            case 3 -> root = replace(root, place, donor.node().deepCopy());
            case 4 -> add(place.node(), data, vocabulary, donor.node());
            case 5 -> {
                ArrayNode repeated = NODES.arrayNode();
                for (int n = data.consumeInt(1, 3); n > 0; n--) {
                    repeated.add(place.node().deepCopy());
                }
                root = replace(root, place, data.consumeBoolean() ? repeated : NODES.objectNode().set(
                        data.pickValue(vocabulary.fieldNames()), place.node().deepCopy()));
            }
            default -> root = replace(root, place, switch (data.consumeInt(0, 2)) {
                case 0 -> NODES.numberNode(data.consumeInt());
                case 1 -> NODES.numberNode(data.consumeLong());
                default -> NODES.numberNode(data.consumeDouble());
            });
        }
        return root;
    }

    private static void collect(JsonNode parent, String field, int index, JsonNode node, List<Place> places) {
        places.add(new Place(parent, field, index, node));
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(node, e.getKey(), -1, e.getValue(), places);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node, null, i, node.get(i), places);
            }
        }
    }

    private static JsonNode scalar(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(data.consumeBoolean());
            case 2 -> NODES.numberNode(0);
            case 3 -> NODES.numberNode(-1);
            case 4 -> NODES.numberNode(Long.MAX_VALUE);
            case 5 -> NODES.numberNode(new BigDecimal("1e400"));
            case 6 -> NODES.numberNode(0.5);
            case 7 -> NODES.textNode("");
            case 8 -> NODES.arrayNode();
            default -> NODES.objectNode();
        };
    }

    private static void remove(Place place) {
        if (place.parent() instanceof ObjectNode object) {
            object.remove(place.field());
        } else if (place.parent() instanceof ArrayNode array) {
            array.remove(place.index());
        }
    }

    /** Puts {@code value} where {@code place} is; returns the (possibly new) root. */
    private static JsonNode replace(JsonNode root, Place place, JsonNode value) {
        if (place.parent() instanceof ObjectNode object) {
            object.set(place.field(), value);
        } else if (place.parent() instanceof ArrayNode array) {
            array.set(place.index(), value);
        } else {
            return value;
        }
        return root;
    }

    private static void add(JsonNode target, FuzzedDataProvider data, Vocabulary vocabulary, JsonNode donor) {
        JsonNode value = data.consumeBoolean() ? donor.deepCopy() : scalar(data);
        if (target instanceof ObjectNode object) {
            object.set(data.consumeBoolean() ? data.pickValue(vocabulary.fieldNames()) : data.consumeString(40), value);
        } else if (target instanceof ArrayNode array) {
            array.insert(data.consumeInt(0, array.size()), value);
        }
    }
}
