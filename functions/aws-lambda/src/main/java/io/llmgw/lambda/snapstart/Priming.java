package io.llmgw.lambda.snapstart;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.lambda.runtime.RuntimeApi;
import io.llmgw.lambda.runtime.StreamingResponseSink;
import io.llmgw.lambda.url.FunctionUrlEvents;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the SnapStart snapshot: pushes synthetic function-URL events through the real path
 * (event parsing, authentication, routing, the upstream HTTP client, SSE relay, the streaming
 * sink's framing) against {@link PrimingUpstream}, so the classes are loaded and initialised in the
 * snapshot. It uses a throwaway configuration and key, and its gateway is closed afterwards:
 * nothing secret, and no live connection, ends up in the snapshot.
 */
public final class Priming implements SnapStartHooks.Hook {
    /** Created on first use: logging initialises on another thread during a cold start (see StartupWarmup). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    }
    private static final String KEY = "priming-only-key-not-a-secret-0000000000";

    @Override
    public void beforeCheckpoint() throws Exception {
        long start = System.nanoTime();
        try (PrimingUpstream upstream = PrimingUpstream.start();
             Gateway gateway = new Gateway(ConfigLoader.load(Map.of(
                     "BACKEND_URL", upstream.chatCompletionsUrl(), "PROXY_API_KEY", KEY)))) {
            int i = 0;
            for (String event : events()) {
                GatewayRequest request = FunctionUrlEvents.toRequest(event.getBytes(StandardCharsets.UTF_8), "priming-" + ++i, null);
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                StreamingResponseSink sink = new StreamingResponseSink(() -> new CapturingChannel(sent));
                gateway.handle(request, sink);
                String wire = sent.toString(StandardCharsets.UTF_8);
                if (sink.runtimeStatus() != 202 || !wire.contains("\"statusCode\":200")) {
                    throw new IllegalStateException("priming request " + i + " did not succeed: " + first(wire, 300));
                }
            }
        }
        Log.LOG.info("primed the request path in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    private static List<String> events() {
        String auth = "\"authorization\":\"Bearer " + KEY + "\"";
        String post = "{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"/v1/chat/completions\",\"rawQueryString\":\"\","
                + "\"headers\":{\"content-type\":\"application/json\"," + auth + "},\"requestContext\":{\"http\":{\"method\":\"POST\","
                + "\"path\":\"/v1/chat/completions\",\"sourceIp\":\"127.0.0.1\"},\"requestId\":\"priming\"},"
                + "\"isBase64Encoded\":false,\"body\":\"%s\"}";
        String streamBody = "{\\\"model\\\":\\\"priming\\\",\\\"stream\\\":true,\\\"messages\\\":[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"hi\\\"}]}";
        String plainBody = "{\\\"model\\\":\\\"priming\\\",\\\"messages\\\":[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"hi\\\"}]}";
        String models = "{\"version\":\"2.0\",\"rawPath\":\"/v1/models\",\"headers\":{" + auth + "},"
                + "\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/v1/models\",\"sourceIp\":\"127.0.0.1\"}}}";
        return List.of(post.formatted(streamBody), post.formatted(plainBody), models);
    }

    private static String first(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** A response channel that keeps the bytes and answers 202, as the Runtime API would. */
    private record CapturingChannel(ByteArrayOutputStream bytes) implements RuntimeApi.ResponseChannel {
        @Override
        public OutputStream body() {
            return bytes;
        }

        @Override
        public int finish() {
            return 202;
        }

        @Override
        public void close() {}
    }
}
