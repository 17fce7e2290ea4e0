package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestThreadsTest {
    /** Runs a task that records its thread and waits for {@code release}; returns the thread once it started. */
    private static CompletableFuture<Thread> start(RequestThreads threads, CountDownLatch release) {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        threads.execute(() -> {
            ran.complete(Thread.currentThread());
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return ran;
    }

    @Test
    void requestsRunOnPooledPlatformThreadsThenOnVirtualThreadsWithoutWaiting() throws Exception {
        RequestThreads threads = new RequestThreads(2);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = start(threads, release).get(5, TimeUnit.SECONDS);
        Thread second = start(threads, release).get(5, TimeUnit.SECONDS);
        assertThat(first.isVirtual()).isFalse();
        assertThat(second.isVirtual()).isFalse();
        assertThat(first.getName()).startsWith("request-");
        assertThat(first.isDaemon()).as("a pooled thread must not keep the JVM from exiting").isTrue();

        // Both pooled threads are busy: the third request starts at once, on a virtual thread, instead of queueing.
        Thread third = start(threads, release).get(5, TimeUnit.SECONDS);
        assertThat(third.isVirtual()).isTrue();
        assertThat(third.getName()).startsWith("request-v");
        assertThat(threads.platformThreads()).isEqualTo(2);

        release.countDown();
        // A pooled thread that is free again takes the next request.
        CountDownLatch noWait = new CountDownLatch(0);
        Thread next = null;
        for (int i = 0; i < 100 && (next == null || next.isVirtual()); i++) {
            Thread.sleep(10);
            next = start(threads, noWait).get(5, TimeUnit.SECONDS);
        }
        assertThat(next.isVirtual()).isFalse();
        assertThat(threads.platformThreads()).isLessThanOrEqualTo(2);
    }

    @Test
    void moreSlowRequestsThanPooledThreadsAreAllInFlightAtOnce() throws Exception {
        int requests = ServerSettings.PLATFORM_REQUEST_THREADS + 6;
        CountDownLatch allArrived = new CountDownLatch(requests);
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl());
             var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // The upstream answers nobody until every request has reached it: a request queued behind the
            // busy pooled threads would never arrive, and all of them would time out here.
            upstream.handler(request -> {
                allArrived.countDown();
                try {
                    allArrived.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ChatScript.text("ok").reply(request);
            });
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(clients.submit(() -> gateway.send("POST", "/v1/chat/completions",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "authorization", "Bearer " + TestGateway.GATEWAY_KEY, "content-type", "application/json")));
            }
            assertThat(allArrived.await(30, TimeUnit.SECONDS)).as("every request reached the upstream at once").isTrue();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
    }
}
