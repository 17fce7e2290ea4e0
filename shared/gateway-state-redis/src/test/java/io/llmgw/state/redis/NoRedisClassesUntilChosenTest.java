package io.llmgw.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.state.StateStores;
import io.llmgw.testing.RecordingClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A platform ships this module whether or not it is configured: while another store is chosen,
 * finding the stores (the service loader instantiates every factory) loads no Lettuce, Netty or
 * Reactor class.
 */
class NoRedisClassesUntilChosenTest {
    private static Object open(ClassLoader loader, String store, Map<String, String> options) throws Exception {
        Class<?> state = loader.loadClass(AccessConfig.State.class.getName());
        Object configured = state.getConstructor(String.class, Map.class).newInstance(store, options);
        return loader.loadClass(StateStores.class.getName()).getMethod("open", state).invoke(null, configured);
    }

    private static boolean isRedisClient(String name) {
        return name.startsWith("io.lettuce.") || name.startsWith("io.netty.") || name.startsWith("reactor.")
                || name.startsWith("io.github.bucket4j.redis.");
    }

    @Test
    void theMemoryStoreLoadsNoRedisClient() throws Exception {
        try (RecordingClassLoader loader = new RecordingClassLoader()) {
            try (AutoCloseable store = (AutoCloseable) open(loader, "memory", Map.of())) {
                assertThat(store.getClass().getSimpleName()).isEqualTo("InMemoryStateStore");
            }
            assertThat(loader.defined()).contains(RedisStateStoreFactory.class.getName());
            assertThat(loader.defined()).noneMatch(NoRedisClassesUntilChosenTest::isRedisClient);
        }
    }

    @Test
    void theRecordingSeesTheClientWhenRedisIsChosen() throws Exception {
        // guards the test above against passing vacuously
        try (RecordingClassLoader loader = new RecordingClassLoader()) {
            try (AutoCloseable store = (AutoCloseable) open(loader, "redis", Map.of("url", "redis://127.0.0.1:1"))) {
                assertThat(store.getClass().getName()).isEqualTo(RedisStateStore.class.getName());
            }
            assertThat(loader.defined()).anyMatch(name -> name.startsWith("io.lettuce."));
        }
    }
}
