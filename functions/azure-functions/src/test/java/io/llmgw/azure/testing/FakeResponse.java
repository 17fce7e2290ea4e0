package io.llmgw.azure.testing;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** The response a function built, as the worker would read it; a header set twice keeps its last value, as in the worker. */
public final class FakeResponse implements HttpResponseMessage {
    private final HttpStatusType status;
    private final Map<String, String> headers;
    private final Object body;

    private FakeResponse(HttpStatusType status, Map<String, String> headers, Object body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    @Override
    public String getHeader(String name) {
        return headers.get(name);
    }

    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public Object getBody() {
        return body;
    }

    /** The body as text: the functions answer with bytes (or nothing). */
    public String bodyText() {
        if (body == null) {
            return "";
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        throw new AssertionError("the body is a " + body.getClass().getName() + ", not bytes");
    }

    public static FakeResponse of(HttpResponseMessage message) {
        return (FakeResponse) message;
    }

    static final class Builder implements HttpResponseMessage.Builder {
        private HttpStatusType status;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Object body;

        @Override
        public Builder status(HttpStatusType value) {
            status = value;
            return this;
        }

        @Override
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        @Override
        public Builder body(Object value) {
            body = value;
            return this;
        }

        @Override
        public HttpResponseMessage build() {
            return new FakeResponse(status, headers, body);
        }
    }
}
