package io.llmgw.bench;

import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;

/**
 * The fake upstream for load runs: the same scripted answer as
 * {@link io.llmgw.testing.FakeUpstreamMain}, but it drops the requests {@link FakeUpstream}
 * records once a second. Over a full run (about 200,000 requests) that log would otherwise grow
 * to hundreds of megabytes, and the garbage collector copying it would add pauses to both
 * targets' latencies. {@code java -cp gateway-bench.jar io.llmgw.bench.BenchUpstreamMain [port]}
 */
public final class BenchUpstreamMain {
    private BenchUpstreamMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        FakeUpstream upstream = FakeUpstream.start(port);
        upstream.handler(ChatScript.text("Hello! How can I help you today?").chunkSize(8).usage(20, 9).handler());
        System.out.println("fake upstream listening on " + upstream.baseUrl());
        while (true) {
            Thread.sleep(1000);
            upstream.clear();
        }
    }
}
