package io.llmgw.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 written by hand on a socket: for what no HTTP client library lets a test do on purpose. */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Bytes read from the socket but not yet returned: one read may bring the end of one answer and
     * the start of the next (pipelined requests), and what follows a marker belongs to the next call.
     */
    private final ByteArrayOutputStream unread = new ByteArrayOutputStream();

    /**
     * The bytes up to and including {@code marker} as Latin-1 text, or all of them up to the end of the
     * connection when the marker never comes; what arrived after the marker is kept for the next read.
     */
    String readUntil(String marker) throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            String seen = unread.toString(StandardCharsets.ISO_8859_1);
            int at = seen.indexOf(marker);
            if (at >= 0) {
                return take(at + marker.length());
            }
            int n = in.read(buffer);
            if (n < 0) {
                return take(seen.length());
            }
            unread.write(buffer, 0, n);
        }
    }

    /** One whole response with a content-length body: status line, headers and body. */
    String readResponse() throws IOException {
        String head = readUntil("\r\n\r\n");
        int end = head.indexOf("\r\n\r\n") + 4;
        int length = 0;
        for (String line : head.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] buffer = new byte[8192];
        while (unread.size() < length) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            unread.write(buffer, 0, n);
        }
        return head + take(Math.min(length, unread.size()));
    }

    /** The first {@code count} unread bytes as Latin-1 text; the rest stays unread. */
    private String take(int count) {
        byte[] all = unread.toByteArray();
        unread.reset();
        unread.write(all, count, all.length - count);
        return new String(all, 0, count, StandardCharsets.ISO_8859_1);
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
