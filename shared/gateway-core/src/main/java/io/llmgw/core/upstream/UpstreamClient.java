package io.llmgw.core.upstream;

import io.llmgw.core.http.Headers;




import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Upstream HTTP on {@code java.net.http} with virtual threads. The request timeout covers the
 * whole exchange: {@link HttpRequest#timeout} only bounds the wait for headers, so a watchdog
 * closes the body stream when the deadline passes mid-body. Requests to a scheme registered as an
 * {@link InProcessUpstream} are answered in-process, under the same deadline.
 */
public final class UpstreamClient implements AutoCloseable {
    /** Hop-by-hop or computed headers the JDK client refuses to set. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor deadlines;
    private final Map<String, InProcessUpstream> inProcess;

    public UpstreamClient() {
        this(Map.of());
    }

    /** @param inProcess upstreams answering in this process, by the URI scheme of their requests */
    public UpstreamClient(Map<String, InProcessUpstream> inProcess) {
        this.inProcess = Map.copyOf(inProcess);
        deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "upstream-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Sends the request and returns once the response headers arrived. Connection failures and
     * timeouts become a {@link GatewayException} of kind CONNECTION or TIMEOUT.
     */
    public UpstreamResponse send(UpstreamRequest request) {
        InProcessUpstream local = inProcess.get(request.uri().getScheme());
        if (local != null) {
            InProcessUpstream.Answer answer = local.answer(request);
            return withDeadline(new UpstreamResponse(answer.status(), answer.headers(), answer.body(), new AtomicBoolean()),
                    request, System.nanoTime());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(request.timeout());
        if (request.body() == null) {
            builder.GET();
        } else {
            builder.POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        }
        if ("http".equalsIgnoreCase(request.uri().getScheme())) {
            // Plain-text HTTP/2 would be an h2c upgrade dance on every new connection; loopback servers speak 1.1.
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        request.headers().forEach((name, value) -> {
            if (!RESTRICTED.contains(name)) {
                builder.header(name, value);
            }
        });
        long start = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = client(request.connectTimeout()).send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw failure(ErrorKind.CONNECTION, "Could not connect to the upstream within " + request.connectTimeout().toSeconds() + " s.");
        } catch (HttpTimeoutException e) {
            throw failure(ErrorKind.TIMEOUT, "The upstream did not answer within " + request.timeout().toSeconds() + " s.");
        } catch (ConnectException e) {
            throw failure(ErrorKind.CONNECTION, "Could not connect to the upstream (connection refused).");
        } catch (IOException e) {
            throw failure(ErrorKind.CONNECTION, "The upstream closed the connection before answering.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(ErrorKind.TIMEOUT, "Interrupted while waiting for the upstream.");
        }
        Headers headers = new Headers();
        response.headers().map().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        return withDeadline(new UpstreamResponse(response.statusCode(), headers, response.body(), new AtomicBoolean()), request, start);
    }

    /** Closes the body when the request's timeout, counted from {@code start}, passes before the caller closed it. */
    private UpstreamResponse withDeadline(UpstreamResponse upstream, UpstreamRequest request, long start) {
        long remaining = request.timeout().toNanos() - (System.nanoTime() - start);
        upstream.deadline(deadlines.schedule(upstream::deadlinePassedNow, Math.max(remaining, 0), TimeUnit.NANOSECONDS));
        return upstream;
    }

    private HttpClient client(Duration connectTimeout) {
        return clients.computeIfAbsent(connectTimeout, timeout -> HttpClient.newBuilder()
                .connectTimeout(timeout)
                .executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    private static GatewayException failure(ErrorKind kind, String message) {
        return GatewayError.of(kind, message, kind == ErrorKind.TIMEOUT ? "upstream_timeout" : "upstream_unreachable").exception();
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
        deadlines.shutdownNow();
        executor.shutdownNow();
    }
}
