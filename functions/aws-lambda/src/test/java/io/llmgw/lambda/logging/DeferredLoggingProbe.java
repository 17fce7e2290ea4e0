package io.llmgw.lambda.logging;

import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run in a fresh JVM by {@link DeferredLog4jProviderTest}: what libraries on the request path do
 * with SLF4J (a static logger per class, level checks, a debug call), then one real event; it
 * prints each logger's answers before and after Log4j starts, and whether Log4j's logger context
 * class has been loaded at each step. Arguments: the logger names.
 */
public final class DeferredLoggingProbe {
    private DeferredLoggingProbe() {}

    public static void main(String[] names) throws Exception {
        DeferredLog4jProvider.install();
        System.out.println("provider=" + LoggerFactory.getILoggerFactory().getClass().getSimpleName());
        print("before", names);
        for (String name : names) {
            LoggerFactory.getLogger(name).debug("debug event from {}", name);
        }
        System.out.println("after debug calls: log4j=" + log4jLoaded());
        LoggerFactory.getLogger("io.llmgw.probe").atInfo().addKeyValue("probe_field", "value").log("probe event {}", 42);
        System.out.println("after an info event: log4j=" + log4jLoaded());
        print("after", names);
    }

    private static void print(String when, String[] names) throws Exception {
        for (String name : names) {
            Logger logger = LoggerFactory.getLogger(name);
            System.out.println(when + " " + name + " trace=" + logger.isTraceEnabled() + " debug=" + logger.isDebugEnabled()
                    + " info=" + logger.isInfoEnabled() + " log4j=" + log4jLoaded());
        }
    }

    private static boolean log4jLoaded() throws Exception {
        Method find = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
        find.setAccessible(true);  // the probe runs with --add-opens java.base/java.lang
        return find.invoke(ClassLoader.getSystemClassLoader(), "org.apache.logging.log4j.core.LoggerContext") != null;
    }
}
