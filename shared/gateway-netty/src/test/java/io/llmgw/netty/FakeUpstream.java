package io.llmgw.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An upstream on loopback written on raw sockets, so that a test says byte for byte what goes back
 * (pieces of a chunked body with pauses between them, a close before the head, a body that never
 * ends), and sees what the transport did: the requests as they arrived, how many connections it
 * opened, and each connection it closed. Each connection is served on a virtual thread of its own,
 * one request after another, by the test's {@link Script}.
 */
final class FakeUpstream implements AutoCloseable {
    /** What the upstream does with one request on one connection. */
    @FunctionalInterface
    interface Script {
        void answer(Request request, Link link) throws Exception;
    }

    /** A request as it arrived: its request line, its header lines as sent, and its body. */
    record Request(String requestLine, List<String> headerLines, byte[] body) {
        /** The first value of a header, by its name in any case, or null. */
        String header(String name) {
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        List<String> headerNames() {
            return headerLines.stream().map(line -> line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT)).toList();
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One connection as the script sees it. */
    static final class Link {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Link(Socket socket, InputStream in) throws IOException {
            this.socket = socket;
            this.in = in;
            this.out = socket.getOutputStream();
        }

        /** Writes and flushes, in one write: on loopback it arrives as one read. */
        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One chunk of a chunked body. */
        void chunk(String text) throws IOException {
            write(Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n");
        }

        void close() throws IOException {
            socket.close();
        }

        /** Waits until the client closes the connection (what it sends meanwhile is discarded). */
        void awaitClose() throws IOException {
            while (in.read() >= 0) {
                // discarding
            }
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger connections = new AtomicInteger();
    private final Semaphore closedByClient = new Semaphore(0);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean needClientCertificate;
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

    FakeUpstream(Script script) throws IOException {
        this(null, script);
    }

    /** @param tls the server's TLS context, or null for plain HTTP */
    FakeUpstream(SSLContext tls, Script script) throws IOException {
        this.script = script;
        this.server = tls == null ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
                : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fake-upstream-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on, a TLS handshake without a client certificate the server's context trusts fails (mutual TLS). */
    void requireClientCertificate() {
        // set on each connection before its handshake: the server socket's own setting is copied when accept() begins
        needClientCertificate = true;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Waits for the client to close one more connection (an end of stream or a reset, reading or writing). */
    void awaitClientClose() throws InterruptedException {
        assertThat(closedByClient.tryAcquire(10, TimeUnit.SECONDS)).as("the client closed a connection").isTrue();
    }

    Request nextRequest() throws InterruptedException {
        Request request = requests.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("a request arrived").isNotNull();
        return request;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                Thread.ofVirtual().name("fake-upstream-" + connections.get()).start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            if (needClientCertificate) {
                ((SSLSocket) socket).setNeedClientAuth(true);
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Link link = new Link(socket, in);
            while (!socket.isClosed()) {
                Request request = read(in);
                if (request == null) {
                    closedByClient.release();
                    return;
                }
                requests.add(request);
                script.answer(request, link);
            }
        } catch (IOException e) {
            if (!server.isClosed()) {
                closedByClient.release();
            }
        } catch (Exception e) {
            // interrupted as the test ends
        }
    }

    /** Reads one request (a Content-Length body, or none), or null at the end of the stream before it. */
    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("closed inside a request head");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        List<String> headerLines = new ArrayList<>(List.of(lines).subList(1, lines.length));
        Request request = new Request(lines[0], headerLines, new byte[0]);
        String length = request.header("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Request(lines[0], headerLines, body);
    }

    /** Waits until {@code condition} holds, polling, failing after 10 s. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(end);
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
