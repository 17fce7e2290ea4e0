package io.llmgw.lambda.runtime;

import io.llmgw.core.json.Json;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;

/**
 * Cold-start overlap: while the main thread reads the configuration, builds the gateway and asks
 * for the first event, a second thread loads and initialises what serving it needs (Jackson with an
 * event-shaped document, the TLS context the upstream call uses). It holds nothing. Under
 * SnapStart the priming pass does this work before the snapshot instead.
 *
 * <p>Logging is deliberately not warmed here: Log4j's start-up is the largest single cost of a
 * cold start (about 0.5 s of CPU on the build machine) and nothing needs it before the first
 * response is out (the gateway's loggers on this path are created on first use, libraries' loggers
 * are {@link io.llmgw.lambda.logging.DeferredLog4jProvider deferred}, and the request's log fields
 * go straight to Log4j's thread context). It happens when the first request's log line is written,
 * after that response is complete, instead of competing for the CPU a Lambda environment at
 * 1 GB has less than one of.
 */
final class StartupWarmup {
    private static final byte[] SAMPLE = ("{\"version\":\"2.0\",\"rawPath\":\"/v1/chat/completions\",\"headers\":{\"content-type\":"
            + "\"application/json\"},\"requestContext\":{\"http\":{\"method\":\"POST\"}},\"body\":\"{\\\"stream\\\":true}\","
            + "\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8);

    private StartupWarmup() {}

    static void start() {
        Thread thread = new Thread(StartupWarmup::run, "startup-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            Json.parse(SAMPLE);  // the event is parsed right after /next
            SSLContext.getDefault();  // the upstream call follows
        } catch (Exception | LinkageError e) {
            // only a head start: whatever failed here is done again, and reported, on the request path
        }
    }
}
