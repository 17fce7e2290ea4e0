package io.llmgw.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A loopback HTTP/1.1 server standing in for an upstream. It records every request and answers
 * with queued {@link Reply replies} first, then with the handler (by default a 404). Written on a
 * raw socket so it can do what a real upstream's failures look like on the wire: resets before
 * and mid-stream, stalls before the first byte, slow events, CRLF framing.
 */
public final class FakeUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Function<RecordedRequest, Reply>> queued = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean wholeWrites;
    private volatile Function<RecordedRequest, Reply> handler =
            request -> Reply.json(404, "{\"error\":{\"message\":\"no reply scripted\",\"type\":\"invalid_request_error\"}}");

    private FakeUpstream(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        Thread acceptor = new Thread(this::acceptLoop, "fake-upstream-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts on a free loopback port. */
    public static FakeUpstream start() {
        return start(0);
    }

    public static FakeUpstream start(int port) {
        try {
            return new FakeUpstream(port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake upstream", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Answers every request not served by a queued reply. */
    public FakeUpstream handler(Function<RecordedRequest, Reply> newHandler) {
        handler = newHandler;
        return this;
    }

    /**
     * Writes each piece of an answer in one write, as HTTP servers do: a whole answer's head and body
     * together, and each chunk of a stream — size line, data, CRLF — together (a stream's head still
     * goes first, on its own). By default every piece is a write of its own, so that tests see the
     * framing arrive split across reads; for a load benchmark that splitting is not what an upstream
     * does, and it times a direct caller's "first byte" at a chunk's size line, before the data
     * any relay has to wait for.
     */
    public FakeUpstream wholeWrites() {
        wholeWrites = true;
        return this;
    }

    /** Answers the next request with this reply (queued replies are used in order, once each). */
    public FakeUpstream enqueue(Reply reply) {
        queued.add(request -> reply);
        return this;
    }

    public FakeUpstream enqueue(Function<RecordedRequest, Reply> reply) {
        queued.add(reply);
        return this;
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public RecordedRequest lastRequest() {
        synchronized (requests) {
            return requests.isEmpty() ? null : requests.get(requests.size() - 1);
        }
    }

    public void clear() {
        requests.clear();
        queued.clear();
    }

    /** Response bytes handed to the socket so far (a writer blocked by back-pressure stops this growing). */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Writes made to the sockets so far: with {@link #wholeWrites}, one per piece of an answer. */
    public long writes() {
        return writes.get();
    }

    /** Connections accepted so far: a caller that keeps its connections makes one for requests in sequence. */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** Requests whose caller closed the connection while this fake was still waiting to answer (a cancelled call). */
    public long abandonedBeforeReply() {
        return abandoned.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                socket.setTcpNoDelay(true);
                open.add(socket);
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                RecordedRequest request = readRequest(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                Function<RecordedRequest, Reply> next = queued.poll();
                Reply reply = (next != null ? next : handler).apply(request);
                if (!write(reply, socket, in, out) || "close".equalsIgnoreCase(request.header("connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to report
        } finally {
            open.remove(socket);
        }
    }

    /** Writes the reply; false when the connection must not be reused. */
    private boolean write(Reply reply, Socket socket, InputStream in, OutputStream out) throws IOException {
        if (reply.kind == Reply.Kind.RESET) {
            reset(socket);
            return false;
        }
        if (!waitWatchingCaller(socket, in, reply.firstByteDelay.toMillis())) {
            abandoned.incrementAndGet();
            return false;
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status).append(' ').append(reason(reply.status)).append("\r\n");
        reply.headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (reply.kind == Reply.Kind.BODY) {
            head.append("content-length: ").append(reply.body.length).append("\r\n\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (wholeWrites) {
                send(out, concat(headBytes, reply.body));
            } else {
                send(out, headBytes);
                send(out, reply.body);
            }
            out.flush();
            return true;
        }
        head.append("transfer-encoding: chunked\r\ncache-control: no-cache\r\n\r\n");
        send(out, head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int written = 0;
        for (byte[] frame : reply.frameBytes()) {
            if (written == reply.resetAfterEvents) {
                resetAfterDrain(socket);
                return false;
            }
            if (written > 0) {
                sleep(reply.eventDelay.toMillis());
            }
            byte[] sizeLine = (Integer.toHexString(frame.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
            if (wholeWrites) {
                send(out, concat(sizeLine, frame, crlf));
            } else {
                send(out, sizeLine);
                send(out, frame);
                send(out, crlf);
            }
            out.flush();
            written++;
        }
        if (written == reply.resetAfterEvents) {
            resetAfterDrain(socket);
            return false;
        }
        send(out, "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return true;
    }

    /**
     * Waits before answering while watching the connection: false as soon as the caller closes
     * it (nothing more is expected from a caller waiting for its answer, so a read that ends means
     * the call was abandoned).
     */
    private static boolean waitWatchingCaller(Socket socket, InputStream in, long millis) throws IOException {
        if (millis <= 0) {
            return true;
        }
        long end = System.nanoTime() + millis * 1_000_000;
        int previous = socket.getSoTimeout();
        try {
            while (System.nanoTime() < end) {
                socket.setSoTimeout((int) Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000)));
                try {
                    if (in.read() == -1) {
                        return false;
                    }
                } catch (java.net.SocketTimeoutException stillThere) {
                    // the caller is still waiting
                } catch (IOException reset) {
                    return false;
                }
            }
            return true;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    private static byte[] concat(byte[]... pieces) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            all.writeBytes(piece);
        }
        return all.toByteArray();
    }

    private void send(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        writes.incrementAndGet();
        bytesWritten.addAndGet(bytes.length);
    }

    /**
     * A TCP reset makes the receiver drop data still in its socket buffer, so a reset right after
     * writing would race the events themselves. Real mid-stream deaths come after the client read
     * what was sent; give the client that moment first — long enough for a cold JVM, whose
     * first request can take a few hundred milliseconds to start reading the body.
     */
    private static void resetAfterDrain(Socket socket) throws IOException {
        sleep(500);
        reset(socket);
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static RecordedRequest readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 2) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = in.readNBytes(length);
        }
        String target = parts[1];
        int q = target.indexOf('?');
        return new RecordedRequest(parts[0], q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1),
                Collections.unmodifiableMap(headers), body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                return body.toByteArray();
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                readLine(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (open) {
            for (Socket socket : open) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        connections.shutdownNow();
    }
}
