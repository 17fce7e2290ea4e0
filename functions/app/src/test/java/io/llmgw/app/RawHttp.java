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

    /** Reads until the peer closes or {@code marker} has arrived; the bytes as Latin-1 text. */
    String readUntil(String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            seen.write(buffer, 0, n);
            if (seen.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
                break;
            }
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
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
        StringBuilder all = new StringBuilder(head);
        while (all.length() < end + length) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            all.append((char) b);
        }
        return all.toString();
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
