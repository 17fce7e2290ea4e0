package io.llmgw.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds many slow streams open through the gateway at once (for stream-memory.sh): opens
 * {@code streams} streaming chat completions, {@code perSecond} a second, each on its own virtual
 * thread and plain socket, and reads each to its end. Prints {@code STEADY} once every stream has
 * received its first bytes (all in flight at once, if the upstream is slow enough), then
 * {@code DONE ok=N failed=M} when all are over; a stream is ok when it answered 200 and ended as its
 * dialect ends a stream ({@code data: [DONE]}, Anthropic's {@code message_stop}, the Responses API's
 * {@code response.completed}). Exit status 0 when
 * every stream was ok. The request is a short streaming chat completion, or the JSON body in
 * {@code bodyFile} (e.g. a real client's, to see what a stream costs with a request of that size).
 *
 * <p>{@code java -cp gateway-bench.jar io.llmgw.bench.ConcurrentStreams URL streams [perSecond [bodyFile]]}
 */
public final class ConcurrentStreams {
    private ConcurrentStreams() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        URI uri = URI.create(args[0]);
        int streams = Integer.parseInt(args[1]);
        int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        byte[] body = args.length > 3 ? Files.readAllBytes(Path.of(args[3]))
                : ("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell a long story.\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] request = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: Bearer sk-bench-0000\r\nanthropic-version: 2023-06-01\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        CountDownLatch started = new CountDownLatch(streams);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long begin = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                long due = begin + TimeUnit.SECONDS.toNanos(1) * i / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                threads.execute(() -> {
                    boolean counted = false;
                    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                        OutputStream out = socket.getOutputStream();
                        out.write(request);
                        out.write(body);
                        out.flush();
                        InputStream in = socket.getInputStream();
                        byte[] buffer = new byte[4096];
                        byte[] tail = new byte[64];
                        int tailLength = 0;
                        String status = null;
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            if (status == null) {
                                status = new String(buffer, 0, Math.min(n, 12), StandardCharsets.ISO_8859_1);
                                started.countDown();
                                counted = true;
                            }
                            // keep the last 64 bytes seen, to check how the stream ended
                            int keep = Math.min(n, tail.length);
                            int shift = Math.min(tailLength, tail.length - keep);
                            System.arraycopy(tail, tailLength - shift, tail, 0, shift);
                            System.arraycopy(buffer, n - keep, tail, shift, keep);
                            tailLength = shift + keep;
                        }
                        String end = new String(tail, 0, tailLength, StandardCharsets.ISO_8859_1);
                        if ("HTTP/1.1 200".equals(status) && (end.contains("data: [DONE]") || end.contains("message_stop")
                                || end.contains("response.completed"))) {
                            ok.incrementAndGet();
                        } else {
                            fail(failed, firstFailure, "status '" + status + "', ending '" + end.strip() + "'");
                        }
                    } catch (IOException e) {
                        fail(failed, firstFailure, e.toString());
                    } finally {
                        if (!counted) {
                            started.countDown();
                        }
                    }
                });
            }
            started.await();
            System.out.printf("STEADY %d streams started in %.1f s%n", streams, (System.nanoTime() - begin) / 1e9);
            System.out.flush();
        }
        System.out.printf("DONE ok=%d failed=%d in %.1f s%s%n", ok.get(), failed.get(), (System.nanoTime() - begin) / 1e9,
                firstFailure.get() == null ? "" : " (first failure: " + firstFailure.get() + ")");
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    private static void fail(AtomicInteger failed, AtomicReference<String> first, String what) {
        failed.incrementAndGet();
        first.compareAndSet(null, what);
    }
}
