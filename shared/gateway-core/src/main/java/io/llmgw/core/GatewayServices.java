package io.llmgw.core;

import io.llmgw.core.admin.Liveness;
import io.llmgw.core.auth.Authenticator;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.resilience.HealthRegistry;
import io.llmgw.core.routing.Attempts;
import io.llmgw.core.routing.CanonicalRelay;
import io.llmgw.core.routing.ModelRouter;
import io.llmgw.core.routing.Relay;
import io.llmgw.core.telemetry.Metrics;

/**
 * What endpoints share: configuration, routing and the upstream relays. Built once per
 * {@link Gateway}.
 *
 * @param relay          same-dialect relaying of upstream bytes
 * @param canonicalRelay translated relaying through the canonical model
 * @param attempts       the attempt loop (deadline, failover, retries, breakers) every upstream call goes through
 * @param health         per-deployment health, for the health endpoints
 * @param liveness       whether the process is still fit to serve ({@code /health/live})
 */
public record GatewayServices(GatewayConfig config, Authenticator authenticator, ModelRouter router, Relay relay,
                              CanonicalRelay canonicalRelay, Attempts attempts, HealthRegistry health, Metrics metrics,
                              long startedEpochSeconds, Liveness liveness) {}
