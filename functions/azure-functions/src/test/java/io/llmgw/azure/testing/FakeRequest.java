package io.llmgw.azure.testing;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A test double of the worker's HTTP request as an HTTP trigger receives it: the full URL of the
 * function app, the headers as a map with lower-case names (repeated headers arrive joined), the
 * body as an optional string; the response builder is {@link FakeResponse}'s.
 */
public final class FakeRequest implements HttpRequestMessage<Optional<String>> {
    public static final String HOST = "https://llm-gateway.azurewebsites.net";

    private final HttpMethod method;
    private final URI uri;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Optional<String> body = Optional.empty();

    private FakeRequest(String method, String pathAndQuery) {
        this.method = HttpMethod.valueOf(method);
        this.uri = URI.create(HOST + pathAndQuery);
        headers.put("host", uri.getHost());
    }

    public static FakeRequest of(String method, String pathAndQuery) {
        return new FakeRequest(method, pathAndQuery);
    }

    public FakeRequest header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    /** A JSON body, with the content type and length a client sends with it. */
    public FakeRequest json(String json) {
        header("content-type", "application/json");
        header("content-length", Integer.toString(json.getBytes(StandardCharsets.UTF_8).length));
        body = Optional.of(json);
        return this;
    }

    /** What the worker hands over for a body sent with Transfer-Encoding: chunked: the header, and no body. */
    public FakeRequest chunkedBodyLost() {
        header("content-type", "application/json");
        header("transfer-encoding", "chunked");
        body = Optional.empty();
        return this;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    @Override
    public Optional<String> getBody() {
        return body;
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return new FakeResponse.Builder().status(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new FakeResponse.Builder().status(status);
    }
}
