package io.llmgw.lambda.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** HTTP/1.1 chunked framing, with trailers on the last chunk. */
final class ChunkedBody {
    private final OutputStream out;

    ChunkedBody(OutputStream out) {
        this.out = out;
    }

    /** One chunk. Never empty: a zero-length chunk mid-stream would end the body. */
    void chunk(byte[] bytes, int offset, int length) throws IOException {
        if (length <= 0) {
            return;
        }
        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, offset, length);
        out.write(HttpWire.CRLF);
    }

    void chunk(byte[] bytes) throws IOException {
        chunk(bytes, 0, bytes.length);
    }

    /** The last chunk, the trailers (possibly none), and the empty line that ends the message. */
    void end(Map<String, String> trailers) throws IOException {
        StringBuilder last = new StringBuilder("0\r\n");
        trailers.forEach((name, value) -> last.append(name).append(": ").append(value).append("\r\n"));
        last.append("\r\n");
        out.write(last.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
