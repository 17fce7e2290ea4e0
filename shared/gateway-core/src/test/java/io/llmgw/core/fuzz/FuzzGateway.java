package io.llmgw.core.fuzz;

import io.llmgw.core.Gateway;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A gateway as the fuzz tests drive it: built from configuration variables, called through
 * {@link Gateway#handle} with a buffering sink, with the error class of each request recorded (an
 * {@code internal} one is a failure the gateway did not expect, whatever the client was told).
 */
final class FuzzGateway implements AutoCloseable {
    /** The gateway key every fuzzed request presents, so fuzzing reaches past authentication. */
    static final String KEY = "fuzz-gateway-key-0123456789abcdef0123456789";

    /** What the client received, and the error class the gateway recorded (null when none). */
    record Answer(int status, Headers headers, byte[] body, String errorKind) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            String type = headers.first("content-type");
            return type == null ? "" : type;
        }

        @Override
        public String toString() {
            String text = text();
            return "HTTP " + status + " (" + contentType() + ", error kind " + errorKind + "): "
                    + (text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
        }
    }

    private final Gateway gateway;
    /** {@link Gateway#handle} reports on the calling thread, before it returns. */
    private String lastErrorKind;

    FuzzGateway(Map<String, String> variables) {
        this(variables, Clock.systemUTC());
    }

    /** @param clock drives circuit breakers and cool-downs (see {@link #leapingClock()}) */
    FuzzGateway(Map<String, String> variables, Clock clock) {
        Metrics recorder = new Metrics() {
            @Override
            public void requestFinished(RequestContext ctx) {
                lastErrorKind = ctx.errorKind();
            }
        };
        gateway = new Gateway(ConfigLoader.load(variables), new Gateway.Options(GatewayEvents.NONE, clock, recorder));
    }

    /**
     * A clock an hour further on at every reading: whatever failures the fuzzed answers count against
     * a deployment, its circuit is closed again by the next request, so every input reaches the code
     * under test instead of a 503 from an open circuit.
     */
    static Clock leapingClock() {
        return MutableClock.leaping(Duration.ofHours(1));
    }

    /** The built-in mock as the only upstream, behind {@link #KEY}. */
    static FuzzGateway mock() {
        return new FuzzGateway(Map.of("GATEWAY_MOCK", "1", "PROXY_API_KEY", KEY));
    }

    Answer send(String method, String path, String query, Headers headers, byte[] body) {
        BufferingSink sink = new BufferingSink();
        lastErrorKind = null;
        gateway.handle(new GatewayRequest(method, path, query, headers, body, "127.0.0.1", null), sink);
        return new Answer(sink.status(), sink.headers(), sink.body(), lastErrorKind);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
