package io.llmgw.core.relay;

import java.util.function.Consumer;

/**
 * Where the outcome of work that waits for an upstream goes: its value, or the failure the caller
 * would otherwise have caught. Exactly one of the two is called, once — on the caller's thread before
 * the call that started the work returns, or later on the thread the upstream's answer arrives on.
 * What a continuation itself throws is not the work's failure: it goes back up the thread that ran
 * the continuation, to the request's own error handling.
 */
public interface Completion<T> {
    void done(T value);

    void failed(RuntimeException error);

    /**
     * A completion that goes on with {@code then} and lets a failure go up the thread it arrived on,
     * to the request's error handling (which answers the client in its dialect).
     */
    static <T> Completion<T> then(Consumer<T> then) {
        return new Completion<>() {
            @Override
            public void done(T value) {
                then.accept(value);
            }

            @Override
            public void failed(RuntimeException error) {
                throw error;
            }
        };
    }
}
