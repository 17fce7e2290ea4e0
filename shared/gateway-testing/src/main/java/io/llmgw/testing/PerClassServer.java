package io.llmgw.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server ({@link LocalRedis}, {@link LocalDynalite}) started before a test class's first test and
 * stopped after its last: {@code @RegisterExtension static final PerClassServer<LocalRedis> REDIS =
 * new PerClassServer<>(LocalRedis::start);}. It starts before the class's own {@code @BeforeAll}
 * methods, so they can use it; a start that skips (the program is missing) skips the class.
 */
public final class PerClassServer<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<S> start;
    private S server;

    public PerClassServer(Supplier<S> start) {
        this.start = start;
    }

    /** The running server. */
    public S get() {
        if (server == null) {
            throw new IllegalStateException("the server is started before the test class's first test");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = start.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
