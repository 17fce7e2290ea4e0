package io.llmgw.core.admin;

import io.llmgw.core.pipeline.GatewayServices;
import io.llmgw.core.error.ErrorFormat;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A GET view of what the gateway knows about its upstreams and traffic ({@code /metrics},
 * {@code /health/providers}): it names deployments and counts requests, so it needs a gateway key
 * (whatever the auth mode) unless the configuration makes it public for an in-network scraper.
 */
final class TelemetryEndpoint implements Endpoint {
    private final GatewayServices services;
    private final String dialect;
    private final Consumer<Exchange> view;

    TelemetryEndpoint(GatewayServices services, String dialect, Consumer<Exchange> view) {
        this.services = services;
        this.dialect = dialect;
        this.view = view;
    }

    @Override
    public Set<String> methods() {
        return Set.of("GET");
    }

    @Override
    public String dialect() {
        return dialect;
    }

    @Override
    public ErrorFormat errors() {
        return OpenAiErrors.INSTANCE;
    }

    @Override
    public boolean authenticated() {
        return false;  // checked below: only a gateway key opens it, whatever the auth mode
    }

    @Override
    public void handle(Exchange exchange) {
        if (!services.config().publicMetrics() && !services.authenticator().isGatewayKey(exchange.request().headers())) {
            throw GatewayError.of(ErrorKind.AUTHENTICATION, "This view needs a gateway key (or admin.public_metrics: true).",
                    "invalid_api_key").exception();
        }
        view.accept(exchange);
    }
}
