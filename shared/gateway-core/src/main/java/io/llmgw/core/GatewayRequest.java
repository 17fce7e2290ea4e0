package io.llmgw.core;

import io.llmgw.core.http.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request as a platform adapter hands it to {@link Gateway#handle}.
 *
 * @param body          the request body; empty when there is none; null when it exceeded the
 *                      size limit while being read (see {@link #readBody})
 * @param clientAddress the caller's IP address as the platform reports it, or null
 * @param platformRequestId the platform's own id for this invocation (e.g. Lambda's), or null
 * @param deadline          when the platform will cut the invocation off (Lambda's deadline), or null;
 *                          upstream calls never outlive it
 */
public record GatewayRequest(
        String method,
        String path,
        String rawQuery,
        Headers headers,
        byte[] body,
        String clientAddress,
        String platformRequestId,
        Instant deadline) {

    public GatewayRequest(String method, String path, String rawQuery, Headers headers, byte[] body, String clientAddress,
                          String platformRequestId) {
        this(method, path, rawQuery, headers, body, clientAddress, platformRequestId, null);
    }

    /** Largest request body the gateway accepts; larger bodies are answered with 413. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    public GatewayRequest {
        method = method == null ? "GET" : method.toUpperCase(java.util.Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
        headers = headers == null ? new Headers() : headers;
    }

    public boolean bodyTooLarge() {
        return body == null;
    }

    /** Query parameters, first value per name, URL-decoded. */
    public Map<String, String> query() {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /**
     * Reads a body of at most {@code limit} bytes. Returns null, without reading further, as soon
     * as the body is known to be larger (declared length or bytes seen), so an oversized upload
     * never occupies more than {@code limit} bytes of memory.
     */
    public static byte[] readBody(InputStream in, long declaredLength, int limit) throws IOException {
        if (declaredLength > limit) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 1024);
        byte[] buffer = new byte[16 * 1024];
        int total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
