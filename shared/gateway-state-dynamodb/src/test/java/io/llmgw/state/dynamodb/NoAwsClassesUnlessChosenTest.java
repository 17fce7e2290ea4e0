package io.llmgw.state.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Every platform that carries this module finds its factory at start; a gateway that keeps the
 * in-memory store must not pay for the AWS SDK's classes (cold starts on Lambda). Each case runs
 * in a class loader of its own that records every class it is asked for, verification included.
 */
class NoAwsClassesUnlessChosenTest {
    @Test
    void keepingTheMemoryStoreLoadsNoAwsClass() throws Exception {
        Set<String> loaded = openIsolated("memory", Map.of());
        assertThat(loaded).contains("io.llmgw.state.dynamodb.DynamoDbStateStoreFactory");
        assertThat(loaded).noneMatch(name -> name.startsWith("software.amazon."));
    }

    @Test
    void choosingDynamodbLoadsTheSdk() throws Exception {
        // the control: the same observation sees the SDK once the store is chosen (nothing is called)
        Set<String> loaded = openIsolated("dynamodb", Map.of("table", "gateway-state", "region", "eu-west-1"));
        assertThat(loaded).contains("software.amazon.awssdk.services.dynamodb.DynamoDbClient");
    }

    private static Set<String> openIsolated(String store, Map<String, String> options) throws Exception {
        Set<String> loaded = ConcurrentHashMap.newKeySet();
        try (URLClassLoader isolated = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                loaded.add(name);
                return super.loadClass(name, resolve);
            }
        }) {
            Class<?> state = isolated.loadClass("io.llmgw.core.config.AccessConfig$State");
            Object chosen = state.getConstructor(String.class, Map.class).newInstance(store, options);
            Object opened = isolated.loadClass("io.llmgw.core.state.StateStores").getMethod("open", state).invoke(null, chosen);
            ((AutoCloseable) opened).close();
        }
        return loaded;
    }

    private static URL[] classPath() throws MalformedURLException {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        return urls;
    }
}
