package io.llmgw.core.spi;

import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.upstream.UpstreamRequest;
import java.util.Set;

/**
 * One configured upstream, as the gateway calls it. A call is built by the provider, then signed by
 * it ({@link #sign}: the whole request — method, URI, headers, body — so a signature such as SigV4
 * can cover everything), sent by the gateway, and read with the frame reader and decoders the call
 * names. Implementations are immutable and shared by all requests.
 */
public interface Provider {
    /**
     * The client dialects whose bodies this upstream takes as they are (passed through instead of
     * translated); by default none, for an upstream no client speaks (every dialect is translated).
     */
    default Set<Dialect> nativeDialects() {
        return Set.of();
    }

    /** Whether an Anthropic client's count_tokens is asked of this upstream (else it is counted locally). */
    default boolean countsTokens() {
        return false;
    }

    /** A canonical (translated) request for one deployment, and how to read what the upstream answers. */
    CanonicalCall canonical(CanonicalRequest request, Deployment deployment, String requestId);

    /**
     * A client's own body for one of {@link #nativeDialects()}. The routing calls it only for a dialect
     * the provider declares there, so a provider that declares none (translation only) needs no override;
     * reaching this default is a routing bug, said as one.
     */
    default UpstreamCall passthrough(NativeBody body, Deployment deployment) {
        throw new IllegalStateException("routing bug: " + getClass().getSimpleName() + " declares no native dialect, yet was asked to pass "
                + "a " + body.dialect() + " body through");
    }

    /**
     * A cheap GET for active health checks (usually the models route; any answer but a failure
     * means up), or null (the default) when the upstream has none. Unsigned, like every request a provider builds.
     */
    default UpstreamRequest probeRequest() {
        return null;
    }

    /**
     * How to list the models the upstream serves under the names its requests take, for
     * {@code /v1/models} behind a glob route; null when its list would not name them (Azure lists
     * base models, its requests name deployments).
     */
    default ModelListing modelListing() {
        return null;
    }

    /** Upstreams that answer inside the gateway (the mock), by the URI scheme of their requests. */
    default java.util.Map<String, io.llmgw.core.upstream.InProcessUpstream> inProcess() {
        return java.util.Map.of();
    }

    /**
     * Authenticates a request for the upstream with {@code key} (the configured key or the
     * client's own; null for none). The default adds nothing.
     */
    default UpstreamRequest sign(UpstreamRequest request, String key) {
        return request;
    }
}
