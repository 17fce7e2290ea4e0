package io.llmgw.state.redis;

import io.llmgw.core.state.StateStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A token source that hands out what the test scripted, in order, repeating the last step; it counts its fetches. */
final class ScriptedTokens implements RedisCredentialsSource {
    private final List<Supplier<Token>> steps = new ArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    /** Next, a token for {@code user} that expires {@code life} after it is handed out. */
    ScriptedTokens then(String user, String secret, Duration life) {
        steps.add(() -> new Token(user, secret, Instant.now().plus(life)));
        return this;
    }

    /** Next, a failure such as an unreachable identity endpoint. */
    ScriptedTokens thenFailure(String message) {
        steps.add(() -> {
            throw new StateStoreException(message, null);
        });
        return this;
    }

    int fetches() {
        return fetches.get();
    }

    @Override
    public String auth() {
        return "scripted";
    }

    @Override
    public Token fetch() {
        int step = fetches.getAndIncrement();
        return steps.get(Math.min(step, steps.size() - 1)).get();
    }
}
