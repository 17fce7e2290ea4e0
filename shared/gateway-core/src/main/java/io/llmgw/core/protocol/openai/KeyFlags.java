package io.llmgw.core.protocol.openai;

import java.util.HashMap;
import java.util.Map;

/**
 * A yes/no per key of one JSON object read in a stream, where a key given twice keeps its last
 * answer as a JSON tree keeps the last value: whether any key's answer is yes. The few keys a
 * chunk's objects have are kept in place; past that (only hostile input has so many) a map.
 */
final class KeyFlags {
    private final String[] keys = new String[8];
    private final boolean[] flags = new boolean[keys.length];
    private int count;
    private Map<String, Boolean> more;

    void clear() {
        count = 0;
        more = null;
    }

    void put(String key, boolean flag) {
        for (int i = 0; i < count; i++) {
            if (keys[i].equals(key)) {
                flags[i] = flag;
                return;
            }
        }
        if (count < keys.length) {
            keys[count] = key;
            flags[count++] = flag;
            return;
        }
        if (more == null) {
            more = new HashMap<>();
        }
        more.put(key, flag);
    }

    boolean any() {
        for (int i = 0; i < count; i++) {
            if (flags[i]) {
                return true;
            }
        }
        return more != null && more.containsValue(Boolean.TRUE);
    }
}
