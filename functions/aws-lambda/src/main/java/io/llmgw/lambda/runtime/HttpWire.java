package io.llmgw.lambda.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The little HTTP/1.1 the Runtime API needs, written by hand: request heads out, response status,
 * headers and body in (content-length, chunked, or up to the close). The Runtime API listens on a
 * loopback address, speaks plain HTTP/1.1 and is the only peer, so this stays small.
 */
final class HttpWire {
    static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_HEAD_LINE = 64 * 1024;

    private HttpWire() {}

    /** A response: status, lower-case header names, the whole body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static void writeHead(OutputStream out, String method, String target, String host, Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads the status line and headers; the body is left on the stream. */
    static Response readHead(InputStream in) throws IOException {
        String status = readLine(in);
        if (status == null) {
            throw new IOException("the Runtime API closed the connection without answering");
        }
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        return new Response(code, headers, new byte[0]);
    }

    /** Reads a whole response; {@code maxBody} bounds memory (Lambda events are at most 6 MB). */
    static Response read(InputStream in, int maxBody) throws IOException {
        Response head = readHead(in);
        byte[] body;
        String length = head.header("content-length");
        if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            body = readChunked(in, maxBody);
        } else if (length != null) {
            long declared = Long.parseLong(length.trim());
            if (declared > maxBody) {
                throw new IOException("response body of " + declared + " bytes exceeds " + maxBody);
            }
            body = in.readNBytes((int) declared);
            if (body.length != declared) {
                throw new IOException("response body ended after " + body.length + " of " + declared + " bytes");
            }
        } else {
            body = readBounded(in, maxBody);
        }
        return new Response(head.status(), head.headers(), body);
    }

    private static byte[] readChunked(InputStream in, int maxBody) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("chunked body ended early");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer; (trailer = readLine(in)) != null && !trailer.isEmpty(); ) {
                    // trailers of a /next answer carry nothing we use
                }
                return body.toByteArray();
            }
            if (body.size() + size > maxBody) {
                throw new IOException("chunked body exceeds " + maxBody + " bytes");
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static byte[] readBounded(InputStream in, int maxBody) throws IOException {
        byte[] body = in.readNBytes(maxBody + 1);
        if (body.length > maxBody) {
            throw new IOException("response body exceeds " + maxBody + " bytes");
        }
        return body;
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, without the terminator; null at EOF. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_HEAD_LINE) {
                throw new IOException("HTTP head line longer than " + MAX_HEAD_LINE);
            }
            line.append((char) b);
        }
        return line.isEmpty() ? null : line.toString();
    }
}
