package io.llmgw.core.admin;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.pipeline.GatewayServices;
import io.llmgw.core.web.Endpoint;
import io.llmgw.core.web.Exchange;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A GET view for administrators: it names deployments, counts requests or shows the configuration,
 * so it needs a plain gateway key whatever the auth mode. The telemetry views ({@code /metrics},
 * {@code /health/providers}) are open instead when the configuration makes them public for an
 * in-network scraper ({@code admin.public_metrics}).
 */
final class AdminView implements Endpoint {
    private final GatewayServices services;
    private final String dialect;
    private final String path;
    private final BooleanSupplier enabled;
    private final boolean telemetry;
    private final Consumer<Exchange> view;

    private AdminView(GatewayServices services, String dialect, String path, BooleanSupplier enabled, boolean telemetry,
                      Consumer<Exchange> view) {
        this.services = services;
        this.dialect = dialect;
        this.path = path;
        this.enabled = enabled;
        this.telemetry = telemetry;
        this.view = view;
    }

    /** A telemetry view: open under {@code admin.public_metrics}, else a gateway key's. */
    static AdminView telemetry(GatewayServices services, String dialect, String path, Consumer<Exchange> view) {
        return new AdminView(services, dialect, path, () -> true, true, view);
    }

    /** A view only a gateway key opens; while {@code enabled} is false the route does not exist (404). */
    static AdminView keyed(GatewayServices services, String path, BooleanSupplier enabled, Consumer<Exchange> view) {
        return new AdminView(services, "admin", path, enabled, false, view);
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
    public boolean authenticated() {
        return false;  // checked below: only a gateway key opens it, whatever the auth mode
    }

    @Override
    public void handle(Exchange exchange) {
        if (!enabled.getAsBoolean()) {
            throw GatewayError.of(ErrorKind.NOT_FOUND, "Unknown route: GET " + path, "unknown_url").exception();
        }
        boolean open = telemetry && services.config().publicMetrics();
        if (!open && !services.authenticator().isGatewayKey(exchange.request().headers())) {
            throw GatewayError.of(ErrorKind.AUTHENTICATION, telemetry ? "This view needs a gateway key (or admin.public_metrics: true)."
                    : "GET " + path + " needs a gateway key.", "invalid_api_key").exception();
        }
        view.accept(exchange);
    }
}
