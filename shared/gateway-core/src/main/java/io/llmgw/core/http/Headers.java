package io.llmgw.core.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/** An ordered, case-insensitive multimap of HTTP header names (kept in lower case) to values. */
public final class Headers {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    public static Headers of(String... namesAndValues) {
        Headers headers = new Headers();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    public Headers add(String name, String value) {
        if (name != null && value != null) {
            values.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(value);
        }
        return this;
    }

    public Headers set(String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        if (value == null) {
            values.remove(key);
        } else {
            List<String> list = new ArrayList<>(1);
            list.add(value);
            values.put(key, list);
        }
        return this;
    }

    public Headers remove(String name) {
        values.remove(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** The first value of a header, or null. */
    public String first(String name) {
        List<String> list = values.get(name.toLowerCase(Locale.ROOT));
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    public List<String> all(String name) {
        List<String> list = values.get(name.toLowerCase(Locale.ROOT));
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    public boolean contains(String name) {
        return values.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public void forEach(BiConsumer<String, String> action) {
        values.forEach((name, list) -> list.forEach(value -> action.accept(name, value)));
    }

    public Map<String, List<String>> asMap() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        return values.keySet().toString();
    }
}
