package io.llmgw.testing;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The test class path in a class loader of its own (child first) that records every class it
 * defines: how a test shows that an optional module costs nothing until it is used — e.g. that a
 * store module on the class path loads no client library while another store is configured.
 */
public final class RecordingClassLoader extends URLClassLoader {
    private final List<String> defined = new CopyOnWriteArrayList<>();

    public RecordingClassLoader() {
        super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    /** The names of the classes this loader defined so far, in order. */
    public List<String> defined() {
        return List.copyOf(defined);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> type = super.findClass(name);
        defined.add(name);
        return type;
    }

    private static URL[] classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> {
                    try {
                        return Path.of(entry).toUri().toURL();
                    } catch (MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }).toArray(URL[]::new);
    }
}
