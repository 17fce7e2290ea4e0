package io.llmgw.testing;

/**
 * Runs the fake upstream as its own process (for the load benchmark and manual runs):
 * {@code java -cp … io.llmgw.testing.FakeUpstreamMain [port]} answers every chat-completions
 * request with a short scripted reply, streamed or not as asked.
 */
public final class FakeUpstreamMain {
    private FakeUpstreamMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        FakeUpstream upstream = FakeUpstream.start(port);
        upstream.handler(ChatScript.text("Hello! How can I help you today?").chunkSize(8).usage(20, 9).handler());
        System.out.println("fake upstream listening on " + upstream.baseUrl());
        Thread.currentThread().join();
    }
}
