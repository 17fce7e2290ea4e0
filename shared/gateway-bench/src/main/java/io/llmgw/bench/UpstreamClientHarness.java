package io.llmgw.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;

/**
 * The upstream HTTP client on its own: candidate clients send the same non-streaming chat
 * completion to the bench fake upstream (another process), from virtual threads, closed loop, and
 * the harness reports each one's latency, this process's CPU time per request — the cost the
 * gateway would pay per upstream call — and failed calls (medians over the rounds; failures summed). The clients take turns in rounds (rotating order) so drift
 * on a shared machine hits them alike.
 *
 * <p>{@code java -cp gateway-bench.jar io.llmgw.bench.UpstreamClientHarness URL [concurrency] [seconds] [rounds]}
 */
public final class UpstreamClientHarness {
    private static final byte[] BODY = ("{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello in one short sentence.\"}]}").getBytes(StandardCharsets.UTF_8);

    /** One way to make the call: send, read the body to the end, hand the connection back. */
    interface Candidate extends AutoCloseable {
        void call() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        candidates.put("java.net.http", jdk(uri));
        candidates.put("apache-classic", apache(uri, concurrency));
        candidates.put("helidon-http1", helidon(uri));
        candidates.put("jetty", jetty(uri));
        List<String> names = new ArrayList<>(candidates.keySet());
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (String name : names) {
            run(candidates.get(name), concurrency, 3); // warm-up
            results.put(name, new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + round) % names.size());
                double[] r = run(candidates.get(name), concurrency, seconds);
                results.get(name).add(r);
                System.err.printf("round %d %-15s p50 %.1f us p99 %.1f us %.0f req/s %.1f us CPU/request, %.0f failed%n",
                        round + 1, name, r[0], r[1], r[2], r[3], r[4]);
            }
        }
        System.out.printf("concurrency %d, %d rounds of %d s, load average %.2f at the end%n", concurrency, rounds, seconds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| client | p50 us | p99 us | req/s | client CPU us/request | failed calls |");
        System.out.println("|---|--:|--:|--:|--:|--:|");
        for (String name : names) {
            List<double[]> list = results.get(name);
            System.out.printf("| %s | %.1f | %.1f | %.0f | %.1f | %.0f |%n", name, median(list, 0), median(list, 1), median(list, 2),
                    median(list, 3), list.stream().mapToDouble(r -> r[4]).sum());
        }
        for (Candidate candidate : candidates.values()) {
            candidate.close();
        }
        System.exit(0);
    }

    /** p50 us, p99 us, requests/s, CPU us of this process per request. */
    private static double[] run(Candidate candidate, int concurrency, int seconds) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Histogram> parts = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                Histogram part = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                parts.add(part);
                threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        try {
                            candidate.call();
                            part.recordValue(System.nanoTime() - start);
                        } catch (Exception e) {
                            if (failures.incrementAndGet() == 1) {
                                System.err.println("first failure: " + e);
                            }
                        }
                    }
                    return null;
                });
            }
            threads.shutdown();
            threads.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
            parts.forEach(histogram::add);
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long cpu = processCpuNanos() - cpuBefore;
        long count = histogram.getTotalCount();
        return new double[] {histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3, count / elapsed,
            cpu / 1e3 / count, failures.get()};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<double[]> list, int index) {
        double[] values = list.stream().mapToDouble(r -> r[index]).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static void drain(InputStream body, int expectAtLeast) throws IOException {
        try (body) {
            if (body.readAllBytes().length < expectAtLeast) {
                throw new IOException("short body");
            }
        }
    }

    /** Today's client, configured as UpstreamClient configures it. */
    private static Candidate jdk(URI uri) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new Candidate() {
            @Override
            public void call() throws Exception {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).version(HttpClient.Version.HTTP_1_1)
                        .header("content-type", "application/json").header("authorization", "Bearer sk-bench")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                drain(response.body(), 10);
            }

            @Override
            public void close() {
                client.close();
                executor.shutdownNow();
            }
        };
    }

    private static Candidate apache(URI uri, int concurrency) {
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(Math.max(concurrency, 20)).setMaxConnPerRoute(Math.max(concurrency, 20)).build())
                .disableRedirectHandling().disableAutomaticRetries().disableContentCompression().disableCookieManagement()
                .disableAuthCaching().build();
        return new Candidate() {
            @Override
            public void call() throws Exception {
                HttpPost post = new HttpPost(uri);
                post.setHeader("authorization", "Bearer sk-bench");
                post.setEntity(new ByteArrayEntity(BODY, ContentType.APPLICATION_JSON));
                try (ClassicHttpResponse response = client.executeOpen(null, post, null)) {
                    drain(response.getEntity().getContent(), 10);
                }
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    private static Candidate helidon(URI uri) {
        io.helidon.webclient.http1.Http1Client client = io.helidon.webclient.http1.Http1Client.builder()
                .followRedirects(false).build();
        return new Candidate() {
            @Override
            public void call() throws Exception {
                try (io.helidon.webclient.http1.Http1ClientResponse response = client.post(uri.toString())
                        .header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json")
                        .header(io.helidon.http.HeaderNames.AUTHORIZATION, "Bearer sk-bench")
                        .submit(BODY)) {
                    drain(response.inputStream(), 10);
                }
            }

            @Override
            public void close() {
                client.closeResource();
            }
        };
    }

    private static Candidate jetty(URI uri) throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(256);
        client.start();
        return new Candidate() {
            @Override
            public void call() throws Exception {
                InputStreamResponseListener listener = new InputStreamResponseListener();
                client.newRequest(uri).method("POST").headers(h -> h.put("authorization", "Bearer sk-bench"))
                        .body(new BytesRequestContent("application/json", BODY)).send(listener);
                listener.get(60, TimeUnit.SECONDS);
                drain(listener.getInputStream(), 10);
            }

            @Override
            public void close() throws Exception {
                client.stop();
            }
        };
    }
}
