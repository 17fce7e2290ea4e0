package io.llmgw.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where requests go ("direct" or "gateway") and the exact request bytes for each mode: the same
 * request every time, or with {@code distinct} each one different (a number in its user message),
 * so that no response cache can answer it.
 */
final class Target {
    final String name;
    final URI uri;
    final String host;
    final int port;
    final byte[] plainBody;
    final byte[] streamBody;
    final String apiKey;
    /** Complete HTTP/1.1 requests (head and body) for the raw client. */
    final byte[] plainRequest;
    final byte[] streamRequest;
    private final String model;
    private final boolean distinct;
    private final AtomicLong sent = new AtomicLong();

    Target(String name, URI uri, String model, String apiKey, boolean distinct) {
        this.name = name;
        this.uri = uri;
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : 80;
        this.apiKey = apiKey;
        this.model = model;
        this.distinct = distinct;
        this.plainBody = body(false, "");
        this.streamBody = body(true, "");
        this.plainRequest = request(plainBody);
        this.streamRequest = request(streamBody);
    }

    /** The next request's body. */
    byte[] nextBody(boolean stream) {
        return distinct ? body(stream, " #" + sent.incrementAndGet()) : stream ? streamBody : plainBody;
    }

    /** The next request, head and body, for the raw client. */
    byte[] nextRequest(boolean stream) {
        return distinct ? request(nextBody(stream)) : stream ? streamRequest : plainRequest;
    }

    private byte[] body(boolean stream, String suffix) {
        String messages = "\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hello in one short sentence." + suffix + "\"}]";
        return ("{\"model\":\"" + model + "\"," + messages + (stream ? ",\"stream\":true}" : "}")).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] request(byte[] body) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "User-Agent: gateway-bench\r\n"
                + "Authorization: Bearer " + apiKey + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    @Override
    public String toString() {
        return name + " (" + uri + ")";
    }
}
