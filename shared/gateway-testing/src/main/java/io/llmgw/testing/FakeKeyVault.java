package io.llmgw.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;

/**
 * An in-process Azure Key Vault over HTTPS on loopback, speaking the secrets REST protocol as the
 * real service does: a request without a valid bearer token gets {@code 401} with the
 * {@code WWW-Authenticate} challenge naming the authority and resource; then
 * {@code GET /secrets} (paged, names and attributes only) and {@code GET /secrets/{name}[/{version}]}
 * (the value), with Key Vault's error bodies for a missing secret ({@code SecretNotFound}), a
 * disabled one and an RBAC denial ({@code ForbiddenByRbac}). Every request is recorded.
 */
public final class FakeKeyVault implements AutoCloseable {
    /** The resource Key Vault names in its challenge; the SDK asks for the scope {@code RESOURCE + "/.default"}. */
    public static final String RESOURCE = "https://vault.azure.net";
    public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the fake saw it. */
    public record Request(String method, String path, Map<String, String> query, String authorization) {}

    private record Secret(String value, String version, boolean enabled, boolean listedOnly) {}

    private final HttpsServer server;
    private final String host;
    private final Map<String, Secret> secrets = new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private volatile boolean denyAll;
    private volatile int pageSize = 25;
    private final String token = "fake-aad-token-" + UUID.randomUUID();

    private FakeKeyVault(TestTls tls, String host) throws IOException {
        this.host = host;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts on a free loopback port.
     *
     * @param host the name clients use for it (it must resolve to loopback and be in the certificate)
     */
    public static FakeKeyVault start(TestTls tls, String host) {
        try {
            return new FakeKeyVault(tls, host);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Key Vault", e);
        }
    }

    /** The vault URI, as {@code KEY_VAULT_URI} takes it. */
    public String vaultUrl() {
        return "https://" + host + ":" + server.getAddress().getPort();
    }

    /** The bearer token the vault accepts now; a token credential in a test hands this out. */
    public String token() {
        return token;
    }

    /** Creates a secret or a new version of it. */
    public FakeKeyVault put(String name, String value) {
        secrets.put(name, new Secret(value, UUID.randomUUID().toString().replace("-", ""), true, false));
        return this;
    }

    public FakeKeyVault disable(String name) {
        Secret s = secrets.get(name);
        secrets.put(name, new Secret(s.value(), s.version(), false, s.listedOnly()));
        return this;
    }

    /** Lists the secret but answers its GET with 404, as when it is deleted between the two calls. */
    public FakeKeyVault listedButGone(String name) {
        secrets.put(name, new Secret(null, UUID.randomUUID().toString().replace("-", ""), true, true));
        return this;
    }

    public FakeKeyVault remove(String name) {
        secrets.remove(name);
        return this;
    }

    /** Answers every call with 403 {@code ForbiddenByRbac}, as when the identity has no role on the vault. */
    public FakeKeyVault denyAll(boolean deny) {
        denyAll = deny;
        return this;
    }

    /** Answers reads of this one secret with 403 {@code ForbiddenByRbac}. */
    public FakeKeyVault deny(String name) {
        denied.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** Secrets per page of {@code GET /secrets} (the service pages at 25). */
    public FakeKeyVault pageSize(int size) {
        pageSize = size;
        return this;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Authorized reads of secret values ({@code GET /secrets/{name}}) so far. */
    public long valueReads() {
        return requests().stream().filter(r -> r.authorization() != null && r.path().matches("/secrets/[^/]+(/.*)?")).count();
    }

    public void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = JsonExchanges.query(exchange.getRequestURI().getRawQuery());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestMethod(), path, query, authorization));
            exchange.getRequestBody().readAllBytes();
            if (authorization == null || !authorization.equals("Bearer " + token)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/"
                        + TENANT + "\", resource=\"" + RESOURCE + "\"");
                send(exchange, 401, error("Unauthorized", authorization == null
                        ? "AKV10000: Request is missing a Bearer or PoP token." : "AKV10022: Invalid audience or expired token.", null));
                return;
            }
            if (query.get("api-version") == null) {
                send(exchange, 400, error("BadParameter", "The api-version query parameter (?api-version=) is required for all requests.", null));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, error("MethodNotAllowed", "This fake serves reads only.", null));
                return;
            }
            String[] parts = path.split("/");
            if (path.equals("/secrets") || path.equals("/secrets/")) {
                if (denyAll) {
                    send(exchange, 403, forbidden("Microsoft.KeyVault/vaults/secrets/readMetadata/action"));
                    return;
                }
                list(exchange, query);
            } else if (parts.length >= 3 && parts.length <= 4 && parts[1].equals("secrets")) {
                String name = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
                if (denyAll || denied.contains(name.toLowerCase(Locale.ROOT))) {
                    send(exchange, 403, forbidden("Microsoft.KeyVault/vaults/secrets/getSecret/action"));
                    return;
                }
                get(exchange, name);
            } else {
                send(exchange, 404, error("NotFound", "The requested resource does not exist in this fake.", null));
            }
        }
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<Map.Entry<String, Secret>> all = new ArrayList<>(secrets.entrySet());
        int from = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
        int to = Math.min(all.size(), from + pageSize);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (Map.Entry<String, Secret> entry : all.subList(from, to)) {
            ObjectNode item = value.addObject();
            item.put("id", vaultUrl() + "/secrets/" + entry.getKey());
            item.set("attributes", attributes(entry.getValue()));
        }
        if (to < all.size()) {
            body.put("nextLink", vaultUrl() + "/secrets?api-version=" + query.get("api-version") + "&$skiptoken=" + to);
        } else {
            body.putNull("nextLink");
        }
        send(exchange, 200, body);
    }

    private void get(HttpExchange exchange, String name) throws IOException {
        Secret secret = secrets.get(name);
        if (secret == null || secret.listedOnly()) {
            send(exchange, 404, error("SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault. "
                    + "If you recently deleted this secret you may be able to recover it using the correct recovery command.", null));
            return;
        }
        if (!secret.enabled()) {
            send(exchange, 403, error("Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled"));
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("value", secret.value());
        body.put("id", vaultUrl() + "/secrets/" + name + "/" + secret.version());
        body.set("attributes", attributes(secret));
        send(exchange, 200, body);
    }

    private static ObjectNode attributes(Secret secret) {
        ObjectNode attributes = JSON.createObjectNode();
        attributes.put("enabled", secret.enabled());
        attributes.put("created", 1_700_000_000L);
        attributes.put("updated", 1_700_000_000L);
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        return attributes;
    }

    private static ObjectNode forbidden(String action) {
        return error("Forbidden", "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments "
                + "or role definitions were changed recently, please observe propagation time.\r\nAction: '" + action + "'",
                "ForbiddenByRbac");
    }

    private static ObjectNode error(String code, String message, String innerCode) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (innerCode != null) {
            error.putObject("innererror").put("code", innerCode);
        }
        return body;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().add("x-ms-keyvault-service-version", "1.9.0.0");
        JsonExchanges.send(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
