package io.llmgw.lambda.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.StreamSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function-URL response streamed to the Runtime API as it is produced: the HTTP-integration
 * prelude ({@code {"statusCode","headers","cookies"}}), 8 NUL bytes, then the body, each
 * {@link #flush()} sending what was written since the last one as one chunk (the gateway flushes
 * once per SSE event). A failure after the body started ends it with the two error trailers.
 */
public final class StreamingResponseSink implements StreamSink {
    /** Created on first use: logging initialises on another thread during a cold start (see StartupWarmup). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(StreamingResponseSink.class);
    }
    /** Lambda frames the streamed body itself; a length or hop-by-hop header from us would contradict it. */
    private static final Set<String> NOT_FORWARDED = Set.of("content-length", "transfer-encoding", "connection", "keep-alive");
    static final byte[] DELIMITER = new byte[8];
    public static final String STREAM_ERROR_TYPE = "Gateway.StreamError";

    /** Opens the response connection; called once, on {@link #start}. */
    @FunctionalInterface
    public interface Opener {
        RuntimeApi.ResponseChannel open() throws IOException;
    }

    private final Opener opener;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
    private RuntimeApi.ResponseChannel channel;
    private ChunkedBody body;
    private boolean finished;
    private Throwable failedBeforeStart;
    private int runtimeStatus;

    public StreamingResponseSink(Opener opener) {
        this.opener = opener;
    }

    @Override
    public void start(int status, Headers headers) throws IOException {
        channel = opener.open();
        body = new ChunkedBody(channel.body());
        body.chunk(prelude(status, headers));
        body.chunk(DELIMITER);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        if (body == null) {
            return;
        }
        if (pending.size() > 0) {
            body.chunk(pending.toByteArray());
            pending.reset();
        }
        channel.body().flush();
    }

    @Override
    public void complete() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            flush();
            body.end(Map.of());
            runtimeStatus = channel.finish();
            if (runtimeStatus != 202) {
                Log.LOG.warn("the Runtime API answered {} to a streamed response", runtimeStatus);
            }
        } finally {
            channel.close();
        }
    }

    @Override
    public void fail(Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        if (body == null) {
            failedBeforeStart = error;  // nothing sent yet: the loop reports it on the invocation's error endpoint
            return;
        }
        try {
            flush();
            ErrorReport report = ErrorReport.of(STREAM_ERROR_TYPE, error == null ? "stream failed" : error.getMessage());
            Map<String, String> trailers = new LinkedHashMap<>();
            trailers.put(RuntimeApi.ERROR_TYPE_TRAILER, report.errorType());
            trailers.put(RuntimeApi.ERROR_BODY_TRAILER, Base64.getEncoder().encodeToString(report.trailerJson()));
            body.end(trailers);
            runtimeStatus = channel.finish();
        } catch (IOException e) {
            Log.LOG.debug("could not end the failed stream cleanly", e);  // the connection is gone; Lambda sees a cut stream
        } finally {
            channel.close();
        }
    }

    public boolean started() {
        return body != null;
    }

    public boolean finished() {
        return finished;
    }

    /** The error passed to {@link #fail} before anything was sent, or null. */
    public Throwable failedBeforeStart() {
        return failedBeforeStart;
    }

    /** The Runtime API's status for the response (202 when accepted), or 0 before it answered. */
    public int runtimeStatus() {
        return runtimeStatus;
    }

    /** {@code {"statusCode":…,"headers":{…},"cookies":[…]}}; repeated headers are comma-joined, Set-Cookie goes to cookies. */
    static byte[] prelude(int status, Headers headers) {
        ObjectNode prelude = Json.object();
        prelude.put("statusCode", status);
        ObjectNode names = prelude.putObject("headers");
        ArrayNode cookies = prelude.putArray("cookies");
        headers.asMap().forEach((name, values) -> {
            if (name.equals("set-cookie")) {
                values.forEach(cookies::add);
            } else if (!NOT_FORWARDED.contains(name) && !values.isEmpty()) {
                names.put(name, values.size() == 1 ? values.get(0) : String.join(", ", values));
            }
        });
        return Json.bytes(prelude);
    }
}
