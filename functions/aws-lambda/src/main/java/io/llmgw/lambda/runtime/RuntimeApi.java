package io.llmgw.lambda.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Client of the Lambda Runtime API ({@code http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/...}).
 *
 * <p>Hand-written HTTP/1.1 on {@link Socket}: no Java library streams a Lambda response (the
 * official runtime client posts every result with a content-length, and {@code java.net.http}
 * can chunk a body but cannot send the error trailers). Every call opens its own connection and
 * closes it, so no keep-alive socket is captured by a SnapStart snapshot and resumed dead.
 */
public final class RuntimeApi {
    static final String BASE = "/2018-06-01/runtime";
    /** Lambda events are at most 6 MB; leave room for encoding overhead. */
    private static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;
    public static final String CONTENT_TYPE_HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response";
    public static final String ERROR_TYPE_TRAILER = "Lambda-Runtime-Function-Error-Type";
    public static final String ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body";

    private final String hostHeader;
    private final String host;
    private final int port;

    /** @param address {@code AWS_LAMBDA_RUNTIME_API}, e.g. {@code 127.0.0.1:9001} */
    public RuntimeApi(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API is not set: this program runs inside AWS Lambda "
                    + "(or against a Runtime API emulator named by that variable)");
        }
        hostHeader = address.trim();
        int colon = hostHeader.lastIndexOf(':');
        host = colon < 0 ? hostHeader : hostHeader.substring(0, colon);
        port = colon < 0 ? 80 : Integer.parseInt(hostHeader.substring(colon + 1));
    }

    /** Long-polls for the next event. No read timeout: Lambda freezes the environment while this waits. */
    public Invocation next() throws IOException {
        HttpWire.Response response = call("GET", BASE + "/invocation/next", Map.of(), null);
        if (response.status() != 200) {
            throw new IOException("GET /invocation/next answered " + response.status() + ": " + response.bodyText());
        }
        return Invocation.from(response);
    }

    /** SnapStart: blocks across the snapshot and returns once this environment was restored. */
    public void restoreNext() throws IOException {
        HttpWire.Response response = call("GET", BASE + "/restore/next", Map.of(), null);
        if (response.status() != 200) {
            throw new IOException("GET /restore/next answered " + response.status() + ": " + response.bodyText());
        }
    }

    public int initError(ErrorReport error) throws IOException {
        return postError(BASE + "/init/error", error);
    }

    public int restoreError(ErrorReport error) throws IOException {
        return postError(BASE + "/restore/error", error);
    }

    public int invocationError(String requestId, ErrorReport error) throws IOException {
        return postError(BASE + "/invocation/" + requestId + "/error", error);
    }

    private int postError(String path, ErrorReport error) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ERROR_TYPE_TRAILER, error.errorType());
        headers.put("Content-Type", "application/json");
        return call("POST", path, headers, error.json()).status();
    }

    /**
     * Opens {@code POST /invocation/{id}/response} in streaming mode and sends its head; the
     * caller writes the chunked body (prelude, 8 NUL bytes, then the response as it is produced).
     */
    public ResponseChannel openStreamingResponse(String requestId) throws IOException {
        Socket socket = connect();
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Lambda-Runtime-Function-Response-Mode", "streaming");
            headers.put("Transfer-Encoding", "chunked");
            headers.put("Content-Type", CONTENT_TYPE_HTTP_INTEGRATION);
            headers.put("Trailer", ERROR_TYPE_TRAILER + ", " + ERROR_BODY_TRAILER);
            headers.put("Connection", "close");
            HttpWire.writeHead(out, "POST", BASE + "/invocation/" + requestId + "/response", hostHeader, headers);
            return new SocketChannel(socket, out);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private HttpWire.Response call(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            Map<String, String> all = new LinkedHashMap<>(headers);
            if (body != null) {
                all.put("Content-Length", Integer.toString(body.length));
            }
            all.put("Connection", "close");
            HttpWire.writeHead(out, method, path, hostHeader, all);
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return HttpWire.read(new BufferedInputStream(socket.getInputStream()), MAX_EVENT_BYTES);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);  // each event must leave when flushed, not when Nagle decides
        socket.connect(new InetSocketAddress(host, port), 10_000);
        return socket;
    }

    /** Where a streamed response goes, and how its answer comes back. */
    public interface ResponseChannel extends AutoCloseable {
        OutputStream body();

        /** After the last chunk: the Runtime API's status (202 when accepted). */
        int finish() throws IOException;

        @Override
        void close();
    }

    private static final class SocketChannel implements ResponseChannel {
        private final Socket socket;
        private final OutputStream out;

        SocketChannel(Socket socket, OutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        @Override
        public OutputStream body() {
            return out;
        }

        @Override
        public int finish() throws IOException {
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            return HttpWire.read(in, 64 * 1024).status();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to tell anyone
            }
        }
    }
}
