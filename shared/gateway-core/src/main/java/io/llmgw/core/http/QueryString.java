package io.llmgw.core.http;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A request's query string read strictly: malformed percent-encoding is the client's error (400), not a crash. */
public final class QueryString {
    private QueryString() {}

    /** First value per name, percent-decoded ({@code +} is a space, as browsers and SDKs encode it). */
    public static Map<String, String> parse(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The query string has malformed percent-encoding.", "invalid_query")
                    .exception();
        }
    }
}
