package io.llmgw.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.UpstreamExchange;
import io.llmgw.core.upstream.UpstreamListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A listener that records each call as an event for the test to take in order, with the threads it
 * came on and whether two calls ever overlapped. {@link #onBodyDo} lets a test act inside
 * {@code onBody}, as the relay does (pause, finish, abort at a stream's end marker).
 */
final class RecordingListener implements UpstreamListener {
    sealed interface Event permits Head, Body, End, Failure {}

    record Head(int status, Headers headers) implements Event {}

    record Body(String text) implements Event {}

    record End() implements Event {}

    record Failure(IOException cause, boolean deadlinePassed) implements Event {}

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private volatile boolean overlapped;
    volatile UpstreamExchange exchange;
    private volatile BiConsumer<UpstreamExchange, String> onBody = (exchange, text) -> { };

    /** Runs {@code action} inside each onBody call, after it is recorded. */
    RecordingListener onBodyDo(BiConsumer<UpstreamExchange, String> action) {
        onBody = action;
        return this;
    }

    @Override
    public void onHead(UpstreamExchange exchange, int status, Headers headers) {
        enter();
        this.exchange = exchange;
        events.add(new Head(status, headers));
        leave();
    }

    @Override
    public void onBody(ByteBuffer bytes) {
        enter();
        String text = StandardCharsets.UTF_8.decode(bytes).toString();
        events.add(new Body(text));
        onBody.accept(exchange, text);
        leave();
    }

    @Override
    public void onEnd() {
        enter();
        events.add(new End());
        leave();
    }

    @Override
    public void onFailure(IOException cause, boolean deadlinePassed) {
        enter();
        events.add(new Failure(cause, deadlinePassed));
        leave();
    }

    private void enter() {
        threads.add(Thread.currentThread());
        if (!inCall.compareAndSet(false, true)) {
            overlapped = true;
        }
    }

    private void leave() {
        inCall.set(false);
    }

    Event next() throws InterruptedException {
        Event event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("a listener call").isNotNull();
        assertThat(overlapped).as("listener calls overlapped").isFalse();
        return event;
    }

    Head head() throws InterruptedException {
        return as(Head.class, next());
    }

    /** Takes body pieces until their text ends with {@code suffix}; returns all of it. */
    String bodyUntil(String suffix) throws InterruptedException {
        return body(text -> text.endsWith(suffix));
    }

    /** The body pieces heard until one holds {@code marker} (a piece is what one read brought: more may follow the marker). */
    String bodyHolding(String marker) throws InterruptedException {
        return body(text -> text.contains(marker));
    }

    private String body(java.util.function.Predicate<String> enough) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        while (!enough.test(text.toString())) {
            text.append(as(Body.class, next()).text());
        }
        return text.toString();
    }

    void end() throws InterruptedException {
        as(End.class, next());
    }

    Failure failure() throws InterruptedException {
        return as(Failure.class, next());
    }

    /** Nothing was heard beyond what the test took. */
    void heardNothingMore() {
        assertThat(events).as("listener calls after the last one expected").isEmpty();
        assertThat(overlapped).as("listener calls overlapped").isFalse();
    }

    private static <T extends Event> T as(Class<T> type, Event event) {
        if (!type.isInstance(event)) {
            fail("expected " + type.getSimpleName() + " but the listener heard " + event
                    + (event instanceof Failure failure ? " " + failure.cause() : ""));
        }
        return type.cast(event);
    }
}
