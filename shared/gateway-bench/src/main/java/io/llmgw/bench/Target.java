package io.llmgw.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Where requests go ("direct" or "gateway") and the exact request bytes for each mode. */
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

    Target(String name, URI uri, String model, String apiKey) {
        this.name = name;
        this.uri = uri;
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : 80;
        this.apiKey = apiKey;
        String messages = "\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}]";
        this.plainBody = ("{\"model\":\"" + model + "\"," + messages + "}").getBytes(StandardCharsets.UTF_8);
        this.streamBody = ("{\"model\":\"" + model + "\"," + messages + ",\"stream\":true}").getBytes(StandardCharsets.UTF_8);
        this.plainRequest = request(plainBody);
        this.streamRequest = request(streamBody);
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
