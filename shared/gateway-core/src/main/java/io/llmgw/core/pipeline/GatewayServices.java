package io.llmgw.core.pipeline;

import io.llmgw.core.Gateway;

import io.llmgw.core.resilience.Liveness;
import io.llmgw.core.auth.Authenticator;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.resilience.HealthRegistry;
import io.llmgw.core.routing.UpstreamCalls;
import java.util.List;
import io.llmgw.core.spi.Upstreams;
import io.llmgw.core.routing.CanonicalRelay;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.relay.Relay;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.core.dialect.openai.responses.store.ResponseStore;

/**
 * What endpoints share: configuration, routing and the upstream relays. Built once per
 * {@link Gateway}.
 *
 * @param relay          upstream calls whose caller waits for the answer on its own thread (the models list)
 * @param calls          every upstream call of a routed request, through the attempt loop (deadline, failover, retries, breakers)
 * @param canonicalRelay translated requests, through the canonical model
 * @param upstreams      the configured providers
 * @param modelFilters   policies on decoded, routed model requests, in order
 * @param health         per-deployment health, for the health endpoints
 * @param liveness       whether the process is still fit to serve ({@code /health/live})
 * @param responseStore  stored Responses ({@code previous_response_id}, {@code GET /v1/responses/{id}})
 */
public record GatewayServices(GatewayConfig config, Authenticator authenticator, ModelRouter router, Relay relay,
                              UpstreamCalls calls, CanonicalRelay canonicalRelay, Upstreams upstreams, HealthRegistry health,
                              Metrics metrics, long startedEpochSeconds, Liveness liveness, List<ModelFilter> modelFilters,
                              ResponseStore responseStore) {}
