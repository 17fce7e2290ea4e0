package io.llmgw.core.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An ordered, case-insensitive multimap of HTTP header names (kept in lower case) to values. A name
 * with one value (nearly every header) maps to the value itself and only a repeated one to a list:
 * a stream in flight holds four of these for its whole life, and a list per header was about a
 * kilobyte of them (README › Memory per stream in flight).
 */
public final class Headers {
    /** Lower-case name → its value (a String), or its values in order (a List of them) when there are several. */
    private final Map<String, Object> values = new LinkedHashMap<>();

    public static Headers of(String... namesAndValues) {
        Headers headers = new Headers();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    public Headers add(String name, String value) {
        if (name != null && value != null) {
            String key = lower(name);
            Object present = values.putIfAbsent(key, value);
            if (present instanceof String single) {
                List<String> several = new ArrayList<>(2);
                several.add(single);
                several.add(value);
                values.put(key, several);
            } else if (present != null) {
                list(present).add(value);
            }
        }
        return this;
    }

    public Headers set(String name, String value) {
        String key = lower(name);
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        return this;
    }

    public Headers remove(String name) {
        values.remove(lower(name));
        return this;
    }

    /** The first value of a header, or null. */
    public String first(String name) {
        Object value = values.get(lower(name));
        return value == null || value instanceof String ? (String) value : list(value).get(0);
    }

    public List<String> all(String name) {
        Object value = values.get(lower(name));
        if (value == null) {
            return List.of();
        }
        return value instanceof String single ? List.of(single) : Collections.unmodifiableList(list(value));
    }

    public boolean contains(String name) {
        return values.containsKey(lower(name));
    }

    /** Every value with its name, in order; a repeated header's values one after the other. */
    public void forEach(BiConsumer<String, String> action) {
        values.forEach((name, value) -> {
            if (value instanceof String single) {
                action.accept(name, single);
            } else {
                list(value).forEach(each -> action.accept(name, each));
            }
        });
    }

    /** A copy, name → values, in order. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> copy.put(name, value instanceof String single ? List.of(single)
                : Collections.unmodifiableList(new ArrayList<>(list(value)))));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * {@code name} in lower case: itself when it is already, as the gateway's own names are, found by
     * an ASCII scan. {@code String.toLowerCase} looks each character up in its case tables, and a
     * request takes its headers' names through here a few dozen times (about 2 % of the event loops'
     * time at saturation).
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

    @SuppressWarnings("unchecked")
    private static List<String> list(Object values) {
        return (List<String>) values;
    }

    @Override
    public String toString() {
        return values.keySet().toString();
    }
}
