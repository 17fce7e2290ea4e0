package io.llmgw.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal HTTP/1.1 client on blocking sockets with a keep-alive pool per target: one write
 * per request, a small hand-rolled reader for the status line, headers, and a content-length or
 * chunked body. It does as little as possible so the client's own cost and jitter stay small
 * next to what is measured; it honours {@code Connection: close} (a server may close a connection
 * after its keep-alive request limit).
 */
final class RawHttpClient implements BenchClient {
    private final Map<Target, ConcurrentLinkedDeque<Connection>> pools = new ConcurrentHashMap<>();
    private final int timeoutMillis;
    private final Map<Target, AtomicLong> opened = new ConcurrentHashMap<>();
    private final Map<Target, AtomicLong> staleRetries = new ConcurrentHashMap<>();

    RawHttpClient(Duration timeout) {
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    @Override
    public Exchange exchange(Target target, boolean stream) throws IOException {
        ConcurrentLinkedDeque<Connection> pool = pools.computeIfAbsent(target, t -> new ConcurrentLinkedDeque<>());
        byte[] request = target.nextRequest(stream);
        Connection connection = pool.pollFirst();
        if (connection != null) {
            try {
                return exchange(connection, pool, request, stream);
            } catch (StaleConnectionException e) {
                // The server closed this idle connection before it answered: one retry on a new one.
                staleRetries.computeIfAbsent(target, t -> new AtomicLong()).incrementAndGet();
            }
        }
        connection = open(target);
        try {
            return exchange(connection, pool, request, stream);
        } catch (StaleConnectionException e) {
            throw e.getCause() instanceof IOException io ? io : e;
        }
    }

    private Exchange exchange(Connection c, ConcurrentLinkedDeque<Connection> pool, byte[] request, boolean stream)
            throws IOException {
        boolean keep = false;
        try {
            c.anyByteRead = false;
            c.out.write(request);
            c.out.flush();
            Response r = c.read(stream);
            keep = r.keepAlive;
            return r.exchange;
        } catch (IOException e) {
            if (!c.anyByteRead && !(e instanceof java.net.SocketTimeoutException)) {
                throw new StaleConnectionException(e);
            }
            throw e;
        } finally {
            if (keep) {
                pool.offerFirst(c);
            } else {
                c.close();
            }
        }
    }

    private Connection open(Target target) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(new InetSocketAddress(target.host, target.port), timeoutMillis);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        opened.computeIfAbsent(target, t -> new AtomicLong()).incrementAndGet();
        return new Connection(socket);
    }

    @Override
    public void resetConnections() {
        pools.values().forEach(pool -> {
            for (Connection c; (c = pool.pollFirst()) != null; ) {
                c.close();
            }
        });
    }

    @Override
    public long connectionsOpened(Target target) {
        AtomicLong count = opened.get(target);
        return count == null ? 0 : count.get();
    }

    @Override
    public long staleRetries(Target target) {
        AtomicLong count = staleRetries.get(target);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        resetConnections();
    }

    private record Response(Exchange exchange, boolean keepAlive) {}

    private static final class StaleConnectionException extends IOException {
        StaleConnectionException(IOException cause) {
            super("connection closed before any response byte: " + cause.getMessage(), cause);
        }
    }

    /** One socket with its own read buffer; used by one request at a time. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;
        private byte[] body = new byte[4096];
        private int bodyLength;
        private boolean anyByteRead;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        Response read(boolean stream) throws IOException {
            anyByteRead = false;
            bodyLength = 0;
            String statusLine = line();
            if (statusLine == null) {
                throw new EOFException("connection closed before any response byte");
            }
            int status = parseStatus(statusLine);
            long contentLength = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            String overhead = null;
            for (String header; !(header = required()).isEmpty(); ) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.toLowerCase(Locale.ROOT).contains("close");
                    case "x-gateway-overhead-ms" -> overhead = value;
                    default -> { }
                }
            }
            long firstByte = 0;
            if (chunked) {
                while (true) {
                    String sizeLine = required();
                    int semicolon = sizeLine.indexOf(';');
                    int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                    if (size == 0) {
                        while (!required().isEmpty()) {
                            // trailers: none expected
                        }
                        break;
                    }
                    if (firstByte == 0) {
                        firstByte = System.nanoTime();
                    }
                    readBody(size);
                    if (!required().isEmpty()) {
                        throw new IOException("chunk not followed by CRLF");
                    }
                }
            } else if (contentLength >= 0) {
                if (contentLength > 0) {
                    if (limit - pos == 0) {
                        fill();
                    }
                    firstByte = System.nanoTime();
                    readBody((int) contentLength);
                }
            } else {
                // no framing: the body runs to the end of the connection
                close = true;
                while (fill() > 0) {
                    if (firstByte == 0) {
                        firstByte = System.nanoTime();
                    }
                    appendBody(limit - pos);
                }
            }
            long end = System.nanoTime();
            if (firstByte == 0) {
                firstByte = end;
            }
            String problem = BenchClient.check(status, stream, body, bodyLength);
            return new Response(new Exchange(status, firstByte, end, BenchClient.parseOverhead(overhead), problem), !close);
        }

        private static int parseStatus(String statusLine) throws IOException {
            int sp = statusLine.indexOf(' ');
            if (!statusLine.startsWith("HTTP/") || sp < 0 || statusLine.length() < sp + 4) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            return Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
        }

        private void readBody(int length) throws IOException {
            int remaining = length;
            while (remaining > 0) {
                if (pos == limit && fill() <= 0) {
                    throw new EOFException("connection closed mid-body");
                }
                int n = Math.min(remaining, limit - pos);
                appendBody(n);
                remaining -= n;
            }
        }

        private void appendBody(int n) {
            if (bodyLength + n > body.length) {
                body = java.util.Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + n));
            }
            System.arraycopy(buf, pos, body, bodyLength, n);
            bodyLength += n;
            pos += n;
        }

        private int fill() throws IOException {
            pos = 0;
            limit = 0;
            int n = in.read(buf, 0, buf.length);
            if (n > 0) {
                limit = n;
                anyByteRead = true;
            }
            return n;
        }

        private String required() throws IOException {
            String line = line();
            if (line == null) {
                throw new EOFException("connection closed mid-response");
            }
            return line;
        }

        /** One line without its CRLF (or LF); null at end of stream before any byte of it. */
        private String line() throws IOException {
            StringBuilder sb = null;
            while (true) {
                if (pos == limit && fill() <= 0) {
                    if (sb == null && !anyByteRead) {
                        return null;
                    }
                    throw new EOFException("connection closed mid-line");
                }
                int start = pos;
                while (pos < limit && buf[pos] != '\n') {
                    pos++;
                }
                if (pos < limit) {
                    int end = pos > start && buf[pos - 1] == '\r' ? pos - 1 : pos;
                    String part = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                    pos++;
                    if (sb == null) {
                        return part;
                    }
                    sb.append(part);
                    int last = sb.length() - 1;
                    if (last >= 0 && sb.charAt(last) == '\r') {
                        sb.setLength(last);
                    }
                    return sb.toString();
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
