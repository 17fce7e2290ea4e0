package io.llmgw.lambda.testing;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A test-only Lambda Runtime API on a raw loopback {@link ServerSocket} (the JDK's HttpServer
 * drops trailers): hands out queued events on {@code GET /next}, records every POST byte for byte
 * with the arrival time of each chunk, and answers 202 the way Lambda does.
 */
public final class FakeRuntimeApi implements AutoCloseable {
    /** One chunk of a streamed body and when it arrived. */
    public record Chunk(byte[] data, long arrivedNanos) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One POST as received. {@code rawBody} is the body exactly as framed on the wire. */
    public record Posted(String requestLine, List<String> headerLines, Map<String, String> headers, byte[] rawBody,
                         List<Chunk> chunks, Map<String, String> trailers, long completedNanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            chunks.forEach(c -> all.writeBytes(c.data()));
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private record Queued(String requestId, byte[] event, Map<String, String> headers) {}

    private final ServerSocket server;
    private final BlockingQueue<Queued> events = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Posted>> posts = new ConcurrentHashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;
    private volatile Consumer<String> onCall = call -> {};
    private volatile Consumer<Chunk> onChunk = chunk -> {};

    private FakeRuntimeApi() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "fake-runtime-api");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FakeRuntimeApi start() throws IOException {
        return new FakeRuntimeApi();
    }

    /** {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Queues an event with the usual /next headers; {@code extra} adds or overrides some. */
    public void enqueue(String requestId, byte[] event, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Lambda-Runtime-Aws-Request-Id", requestId);
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 60_000));
        headers.put("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:gateway:live");
        headers.put("Lambda-Runtime-Trace-Id", "Root=1-6741a2b3-" + requestId.hashCode() + ";Parent=53995c3f42cd8ad8;Sampled=1");
        headers.putAll(extra);
        events.add(new Queued(requestId, event, headers));
    }

    public void enqueue(String requestId, byte[] event) {
        enqueue(requestId, event, Map.of());
    }

    /** Calls in order, e.g. {@code GET /runtime/invocation/next}, {@code POST /runtime/init/error}. */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Waits until the runtime has asked for its {@code count}-th event: everything it did after the previous one is over. */
    public void awaitNextPoll(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (calls().stream().filter(c -> c.equals("GET /runtime/invocation/next")).count() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the runtime did not poll /next " + count + " times; calls: " + calls());
            }
            Thread.sleep(10);
        }
    }

    /** Runs when a call arrives, before it is answered (e.g. to look at what happened before restore). */
    public void onCall(Consumer<String> listener) {
        onCall = listener;
    }

    /** Runs for every chunk of a streamed response as it arrives. */
    public void onChunk(Consumer<Chunk> listener) {
        onChunk = listener;
    }

    /** The response (or invocation error) for this request id, once the runtime finished posting it. */
    public Posted awaitPost(String key, Duration timeout) throws Exception {
        return future(key).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keys: {@code response:<id>}, {@code error:<id>}, {@code init/error}, {@code restore/error}. */
    private CompletableFuture<Posted> future(String key) {
        return posts.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = line(in);
            if (requestLine == null) {
                return;
            }
            List<String> headerLines = new ArrayList<>();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line; (line = line(in)) != null && !line.isEmpty(); ) {
                headerLines.add(line);
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            String[] parts = requestLine.split(" ");
            String path = parts[1].replace("/2018-06-01", "");
            String call = parts[0] + " " + path;
            calls.add(call);
            onCall.accept(call);
            OutputStream out = socket.getOutputStream();
            if (call.equals("GET /runtime/invocation/next")) {
                next(out);
            } else if (call.equals("GET /runtime/restore/next")) {
                answer(out, 200, Map.of(), new byte[0]);
            } else if (parts[0].equals("POST")) {
                Posted posted = readPost(in, requestLine, headerLines, headers);
                answer(out, 202, Map.of(), "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
                future(key(path)).complete(posted);
            } else {
                answer(out, 404, Map.of(), new byte[0]);
            }
        } catch (IOException | InterruptedException e) {
            // the runtime closed the connection, or we are shutting down
        }
    }

    private static String key(String path) {
        String rest = path.substring("/runtime/".length());
        if (rest.startsWith("invocation/")) {
            String[] segments = rest.split("/");
            return segments[2] + ":" + segments[1];
        }
        return rest;
    }

    private void next(OutputStream out) throws IOException, InterruptedException {
        Queued event;
        while ((event = events.poll(50, TimeUnit.MILLISECONDS)) == null) {
            if (closed) {
                return;  // closing without an answer: the runtime's GET fails and its loop ends
            }
        }
        answer(out, 200, event.headers(), event.event());
    }

    private Posted readPost(InputStream in, String requestLine, List<String> headerLines, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        List<Chunk> chunks = new ArrayList<>();
        Map<String, String> trailers = new LinkedHashMap<>();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                String sizeLine = line(in);
                raw.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(sizeLine.trim(), 16);
                if (size == 0) {
                    for (String trailer; (trailer = line(in)) != null; ) {
                        raw.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        if (trailer.isEmpty()) {
                            break;
                        }
                        int colon = trailer.indexOf(':');
                        trailers.put(trailer.substring(0, colon).trim(), trailer.substring(colon + 1).trim());
                    }
                    break;
                }
                byte[] data = in.readNBytes(size);
                Chunk chunk = new Chunk(data, System.nanoTime());
                chunks.add(chunk);
                onChunk.accept(chunk);
                raw.writeBytes(data);
                byte[] crlf = in.readNBytes(2);
                raw.writeBytes(crlf);
            }
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] data = in.readNBytes(length);
            raw.writeBytes(data);
            chunks.add(new Chunk(data, System.nanoTime()));
        }
        return new Posted(requestLine, List.copyOf(headerLines), headers, raw.toByteArray(), List.copyOf(chunks), trailers,
                System.nanoTime());
    }

    private static void answer(OutputStream out, int status, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : status == 202 ? " Accepted" : " Not Found")
                .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Stops answering: a runtime waiting on /next sees its connection closed and its loop ends. */
    @Override
    public void close() throws IOException {
        closed = true;  // /next waiters notice within 50 ms; exchanges in progress finish
        server.close();
    }
}
