package io.llmgw.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;

/** {@link java.net.http.HttpClient} forced to HTTP/1.1; the body is read as a stream to time its first byte. */
final class JdkHttpClient implements BenchClient {
    private final HttpClient client;
    private final Duration timeout;

    JdkHttpClient(Duration timeout, ExecutorService executor) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Exchange exchange(Target target, boolean stream) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(target.uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + target.apiKey)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(target.nextBody(stream)))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        byte[] body = new byte[4096];
        int length = 0;
        long firstByte = 0;
        try (InputStream in = response.body()) {
            while (true) {
                if (length == body.length) {
                    body = Arrays.copyOf(body, body.length * 2);
                }
                int n = in.read(body, length, body.length - length);
                if (n < 0) {
                    break;
                }
                if (firstByte == 0 && n > 0) {
                    firstByte = System.nanoTime();
                }
                length += n;
            }
        }
        long end = System.nanoTime();
        double overhead = BenchClient.parseOverhead(response.headers().firstValue("x-gateway-overhead-ms").orElse(null));
        return new Exchange(response.statusCode(), firstByte == 0 ? end : firstByte, end, overhead,
                BenchClient.check(response.statusCode(), stream, body, length));
    }

    @Override
    public void close() {
        client.close();
    }
}
