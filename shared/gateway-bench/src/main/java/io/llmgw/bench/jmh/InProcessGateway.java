package io.llmgw.bench.jmh;

import io.llmgw.core.Gateway;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.http.Headers;
import io.llmgw.core.telemetry.GatewayEvents;
import io.llmgw.core.web.GatewayRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A gateway with one gateway key whose every model goes to the {@code bench-constant} upstream in
 * this process ({@link ConstantUpstreamFactory}): the gateway's own work on a request, and no I/O.
 * Used by {@link GatewayRequestBenchmark}, and by the event-loop proxy when asked to do that work
 * on its loop beside each relayed request.
 */
public final class InProcessGateway implements AutoCloseable {
    public static final String KEY = "bench-gateway-key-0123456789abcdef012345";

    private final Gateway gateway;

    public InProcessGateway() {
        try {
            Path file = Files.createTempFile("in-process-gateway", ".yaml");
            Files.writeString(file, """
                    auth: { mode: gateway, keys: ["${KEY}"] }
                    routing: { retries: 0, health_check_interval: off }
                    providers: { c: { type: %s } }
                    models: { "*": { deployments: [ { provider: c } ] } }
                    """.formatted(ConstantUpstreamFactory.TYPE));
            GatewayConfig config = ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString(), "KEY", KEY));
            Files.delete(file);
            gateway = new Gateway(config, GatewayEvents.NONE, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code body} at {@code path} with these headers; the answer's bytes are dropped. @return its status */
    public int serve(String path, Headers headers, byte[] body) {
        StatusOnly sink = new StatusOnly();
        gateway.handle(new GatewayRequest("POST", path, null, headers, body, "127.0.0.1", null), sink);
        return sink.status;
    }

    @Override
    public void close() {
        gateway.close();
    }

    /** Keeps the status and no byte. */
    private static final class StatusOnly extends DiscardingSink {
        int status;

        @Override
        public void start(int status, Headers headers) {
            this.status = status;
        }
    }
}
