package io.llmgw.core.routing;

import io.llmgw.core.telemetry.RequestContext;
import io.llmgw.core.web.ClientResponse;
import java.util.function.Supplier;

/**
 * Same-dialect passthrough under the attempt loop: each attempt prepares the client's body for its
 * deployment ({@link NativeCalls}), and the first upstream event (or whole body) commits, as for
 * translated requests. The dialect supplies what relays its own stream.
 */
public final class NativeRelay {
    private final Relay relay;
    private final Attempts attempts;

    public NativeRelay(Relay relay, Attempts attempts) {
        this.relay = relay;
        this.attempts = attempts;
    }

    /** Streams the winning deployment's events through a fresh {@code translator} per attempt. */
    public void stream(Route route, Attempts.Estimate estimate, RequestContext ctx, ClientResponse out,
                       Attempts.Attempt<NativeCalls.Call> prepare, Supplier<StreamTranslator> translator) {
        try (Attempts.Won<Relay.OpenStream> won = attempts.run(route, estimate, ctx, (deployment, condenseTo) -> {
            NativeCalls.Call call = prepare.run(deployment, condenseTo);
            return relay.open(call.request(), call.errors(), translator.get(), ctx);
        })) {
            won.value().commit(out, ctx);
        }
    }

    /** The winning deployment's whole answer, as the upstream sent it. */
    public byte[] call(Route route, Attempts.Estimate estimate, RequestContext ctx, Attempts.Attempt<NativeCalls.Call> prepare) {
        try (Attempts.Won<byte[]> won = attempts.run(route, estimate, ctx, (deployment, condenseTo) -> {
            NativeCalls.Call call = prepare.run(deployment, condenseTo);
            return relay.call(call.request(), call.errors(), ctx);
        })) {
            return won.value();
        }
    }
}
