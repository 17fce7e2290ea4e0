package io.llmgw.core.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An ordered, case-insensitive multimap of HTTP header names (kept in lower case) to values, held
 * as one array of names and values in the order they were added and searched from the start. A
 * request's or an answer's headers are a dozen or two: a scan of that many names, which mostly
 * differ in length, costs less than hashing each name, and one array less than a hash map's table
 * and node per header (a stream in flight holds four of these for its whole life, and a request
 * takes its headers through here a few dozen times: README › Benchmarks › Header lines without hash
 * maps).
 */
public final class Headers {
    private static final String[] NONE = new String[0];
    /** name, value, name, value, …: {@code size} of them in use; names in lower case. */
    private String[] pairs = NONE;
    private int size;

    public static Headers of(String... namesAndValues) {
        Headers headers = new Headers();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /** A copy of these headers, which changes apart from them. */
    public Headers copy() {
        Headers copy = new Headers();
        copy.pairs = size == 0 ? NONE : Arrays.copyOf(pairs, size);
        copy.size = size;
        return copy;
    }

    public Headers add(String name, String value) {
        if (name != null && value != null) {
            append(lower(name), value);
        }
        return this;
    }

    /** Replaces every value of {@code name} with {@code value} (where its first value was), or removes them for null. */
    public Headers set(String name, String value) {
        if (value == null) {
            removeFrom(0, name);
            return this;
        }
        int at = indexOf(name, 0);
        if (at < 0) {
            append(lower(name), value);
        } else {
            pairs[at + 1] = value;
            removeFrom(at + 2, name);
        }
        return this;
    }

    public Headers remove(String name) {
        removeFrom(0, name);
        return this;
    }

    /** The first value of a header, or null. */
    public String first(String name) {
        int at = indexOf(name, 0);
        return at < 0 ? null : pairs[at + 1];
    }

    public List<String> all(String name) {
        int at = indexOf(name, 0);
        if (at < 0) {
            return List.of();
        }
        int next = indexOf(name, at + 2);
        if (next < 0) {
            return List.of(pairs[at + 1]);
        }
        List<String> values = new ArrayList<>(2);
        for (; at >= 0; at = indexOf(name, at + 2)) {
            values.add(pairs[at + 1]);
        }
        return Collections.unmodifiableList(values);
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** Every value with its name, in the order they were added. */
    public void forEach(BiConsumer<String, String> action) {
        String[] all = pairs;
        for (int i = 0; i < size; i += 2) {
            action.accept(all[i], all[i + 1]);
        }
    }

    /** A copy, name → values, names in the order they first came. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (int i = 0; i < size; i += 2) {
            copy.computeIfAbsent(pairs[i], name -> new ArrayList<>(1)).add(pairs[i + 1]);
        }
        copy.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(copy);
    }

    private void append(String key, String value) {
        if (size == pairs.length) {
            // 16 headers at first: an answer's own and an SDK's request have about that many
            pairs = Arrays.copyOf(pairs, Math.max(32, size * 2));
        }
        pairs[size] = key;
        pairs[size + 1] = value;
        size += 2;
    }

    /** Where {@code name}, in any case, is at or after {@code from}, or -1. */
    private int indexOf(String name, int from) {
        String[] all = pairs;
        for (int i = from; i < size; i += 2) {
            if (named(all[i], name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the stored (lower-case) {@code key} is {@code name} in any case: the length first, which
     * tells most names apart, so a lookup never makes or scans a lower-case copy of the name it asks for.
     */
    private static boolean named(String key, String name) {
        return key.length() == name.length() && (key.equals(name) || key.equalsIgnoreCase(name));
    }

    /** Removes every {@code name} at or after {@code from}, keeping the others' order. */
    private void removeFrom(int from, String name) {
        int kept = from;
        for (int i = from; i < size; i += 2) {
            if (!named(pairs[i], name)) {
                pairs[kept] = pairs[i];
                pairs[kept + 1] = pairs[i + 1];
                kept += 2;
            }
        }
        Arrays.fill(pairs, kept, size, null);
        size = kept;
    }

    /**
     * {@code name} in lower case, to be kept: itself when it is already, as the gateway's own names
     * are, found by an ASCII scan. {@code String.toLowerCase} looks each character up in its case tables.
     */
    private static String lower(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if ((ch >= 'A' && ch <= 'Z') || ch >= 0x80) {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    @Override
    public String toString() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < size; i += 2) {
            names.add(pairs[i]);
        }
        return names.toString();
    }
}
