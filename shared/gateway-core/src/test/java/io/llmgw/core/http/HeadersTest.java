package io.llmgw.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The multimap every request and answer goes through: one value or several per name, in order, any case. */
class HeadersTest {
    @Test
    void namesAreCaseInsensitiveAndKeptInLowerCase() {
        Headers headers = Headers.of("Content-Type", "application/json", "X-Request-Id", "r1");

        assertThat(headers.first("content-type")).isEqualTo("application/json");
        assertThat(headers.first("CONTENT-TYPE")).isEqualTo("application/json");
        assertThat(headers.contains("x-REQUEST-id")).isTrue();
        assertThat(headers.asMap()).containsOnlyKeys("content-type", "x-request-id");
        assertThat(headers.first("accept")).isNull();
        assertThat(headers.all("accept")).isEmpty();
    }

    @Test
    void aRepeatedHeaderKeepsEveryValueInOrder() {
        Headers headers = new Headers().add("Set-Cookie", "a=1").add("Vary", "accept").add("set-cookie", "b=2")
                .add("SET-COOKIE", "c=3");
        List<String> seen = new ArrayList<>();
        headers.forEach((name, value) -> seen.add(name + ": " + value));

        assertThat(headers.first("set-cookie")).isEqualTo("a=1");
        assertThat(headers.all("set-cookie")).containsExactly("a=1", "b=2", "c=3");
        assertThat(headers.all("vary")).containsExactly("accept");
        // on the wire as they came (only the order of one name's values means anything in HTTP); the map groups them
        assertThat(seen).containsExactly("set-cookie: a=1", "vary: accept", "set-cookie: b=2", "set-cookie: c=3");
        assertThat(headers.asMap()).containsExactly(Map.entry("set-cookie", List.of("a=1", "b=2", "c=3")),
                Map.entry("vary", List.of("accept")));
    }

    @Test
    void setReplacesEveryValueAndNullOrRemoveTakesTheHeaderAway() {
        Headers headers = new Headers().add("x-a", "1").add("x-a", "2").add("x-b", "3");

        headers.set("X-A", "9");
        assertThat(headers.all("x-a")).containsExactly("9");
        assertThat(headers.asMap().keySet()).as("set keeps the name where it was").containsExactly("x-a", "x-b");
        headers.add("x-a", "10");
        assertThat(headers.all("x-a")).containsExactly("9", "10");
        headers.set("x-a", null);
        assertThat(headers.contains("x-a")).isFalse();
        headers.remove("X-B");
        assertThat(headers.asMap()).isEmpty();
    }

    @Test
    void nullNamesAndValuesAreIgnoredAndViewsCannotChangeTheHeaders() {
        Headers headers = new Headers().add(null, "v").add("x-a", null).add("x-b", "1").add("x-b", "2");

        assertThat(headers.asMap()).containsOnlyKeys("x-b");
        assertThatThrownBy(() -> headers.all("x-b").add("3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> headers.asMap().get("x-b").add("3")).isInstanceOf(UnsupportedOperationException.class);
        Map<String, List<String>> before = headers.asMap();
        headers.add("x-b", "3");
        assertThat(before.get("x-b")).containsExactly("1", "2");  // a copy, not a live view
        assertThat(headers.all("x-b")).containsExactly("1", "2", "3");
    }

    @Test
    void aCopyAndItsOriginalChangeApart() {
        Headers original = Headers.of("X-A", "1", "x-b", "2");
        Headers copy = original.copy().add("x-c", "3").set("x-a", "changed");
        original.add("x-d", "4");

        assertThat(original.asMap()).containsExactly(entry("x-a", List.of("1")), entry("x-b", List.of("2")), entry("x-d", List.of("4")));
        assertThat(copy.asMap()).containsExactly(entry("x-a", List.of("changed")), entry("x-b", List.of("2")), entry("x-c", List.of("3")));
        assertThat(new Headers().copy().add("x-e", "5").first("x-e")).isEqualTo("5");
    }
}
