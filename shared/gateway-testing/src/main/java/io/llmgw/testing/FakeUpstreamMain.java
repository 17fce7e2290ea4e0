package io.llmgw.testing;

import java.time.Duration;

/**
 * Runs the fake upstream as its own process (for the load benchmark, the container test and manual
 * runs): {@code java -cp … io.llmgw.testing.FakeUpstreamMain [port [eventDelayMillis]]} answers
 * every chat-completions request with a short scripted reply, streamed or not as asked; with an
 * event delay, streamed events come that many milliseconds apart (a stream that stays in flight).
 */
public final class FakeUpstreamMain {
    private FakeUpstreamMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Duration eventDelay = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 0);
        FakeUpstream upstream = FakeUpstream.start(port);
        ChatScript script = ChatScript.text("Hello! How can I help you today?").chunkSize(8).usage(20, 9);
        upstream.handler(request -> script.reply(request).eventDelay(eventDelay));
        System.out.println("fake upstream listening on " + upstream.baseUrl());
        Thread.currentThread().join();
    }
}
