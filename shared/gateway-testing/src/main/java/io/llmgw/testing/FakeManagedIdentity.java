package io.llmgw.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The managed-identity endpoint of Azure App Service, Functions and Container Apps, in process on
 * loopback over HTTP as on those platforms: the identity libraries find it through
 * {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} and ask
 * {@code GET <endpoint>?api-version=2019-08-01&resource=<resource>[&client_id=<id>]} with the header's
 * value in {@code X-IDENTITY-HEADER}; it answers {@code access_token}, {@code expires_on} (epoch
 * seconds, as a string), {@code resource}, {@code token_type} and {@code client_id}. A request with
 * a wrong header, API version, resource or client id gets a 400 with an error body. Tokens are
 * JWT-shaped (header, claims with {@code oid}, {@code tid}, {@code aud}, {@code exp}; an unverifiable
 * signature) and handed out in the order the test scripts them, the last one repeating. Every
 * request is recorded.
 */
public final class FakeManagedIdentity implements AutoCloseable {
    public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String PATH = "/msi/token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One request as the endpoint saw it. */
    public record Request(String method, String path, Map<String, String> query, String identityHeader) {}

    private record Scripted(String token, Duration life) {}

    private final HttpServer server;
    private final String resource;
    private final String clientId;
    private final String objectId;
    private final String header = "identity-header-" + UUID.randomUUID();
    private final List<Scripted> script = Collections.synchronizedList(new ArrayList<>());
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private int issued;

    private FakeManagedIdentity(String resource, String clientId, String objectId) throws IOException {
        this.resource = resource;
        this.clientId = clientId;
        this.objectId = objectId;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(PATH, this::handle);
        server.start();
    }

    /**
     * Starts on a free loopback port.
     *
     * @param resource the one resource it issues tokens for, e.g. {@code https://redis.azure.com}
     * @param clientId the user-assigned identity's client id the caller must name ({@code AZURE_CLIENT_ID})
     * @param objectId the identity's object id: the tokens' {@code oid}
     */
    public static FakeManagedIdentity start(String resource, String clientId, String objectId) {
        try {
            return new FakeManagedIdentity(resource, clientId, objectId);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake managed-identity endpoint", e);
        }
    }

    /** The value of {@code IDENTITY_ENDPOINT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** The value of {@code IDENTITY_HEADER}. */
    public String header() {
        return header;
    }

    /** Scripts the next token: valid for {@code life} from when it is handed out; returns it. */
    public String next(Duration life) {
        String token = jwt(objectId, life);
        script.add(new Scripted(token, life));
        return token;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Tokens handed out so far. */
    public synchronized int issued() {
        return issued;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = JsonExchanges.query(exchange.getRequestURI().getRawQuery());
            String identityHeader = exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER");
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), query, identityHeader));
            exchange.getRequestBody().readAllBytes();
            String problem = problem(exchange.getRequestMethod(), query, identityHeader);
            if (problem != null) {
                ObjectNode error = JSON.createObjectNode().put("error", "invalid_request").put("error_description", problem);
                JsonExchanges.send(exchange, 400, error);
                return;
            }
            Scripted next = take();
            if (next == null) {
                JsonExchanges.send(exchange, 500, JSON.createObjectNode().put("error", "unknown_error").put("error_description", "no token scripted"));
                return;
            }
            ObjectNode body = JSON.createObjectNode()
                    .put("access_token", next.token())
                    .put("expires_on", Long.toString(Instant.now().plus(next.life()).getEpochSecond()))
                    .put("resource", resource)
                    .put("token_type", "Bearer")
                    .put("client_id", clientId);
            JsonExchanges.send(exchange, 200, body);
        }
    }

    private String problem(String method, Map<String, String> query, String identityHeader) {
        if (!method.equals("GET")) {
            return "method " + method + " is not GET";
        }
        if (!header.equals(identityHeader)) {
            return "X-IDENTITY-HEADER is missing or wrong";
        }
        if (!"2019-08-01".equals(query.get("api-version"))) {
            return "api-version must be 2019-08-01";
        }
        if (!resource.equals(query.get("resource"))) {
            return "no identity for resource " + query.get("resource");
        }
        if (!clientId.equals(query.get("client_id"))) {
            return "no user-assigned identity with client_id " + query.get("client_id") + " is assigned to this app";
        }
        return null;
    }

    private synchronized Scripted take() {
        if (script.isEmpty()) {
            return null;
        }
        Scripted next = script.get(Math.min(issued, script.size() - 1));
        issued++;
        return next;
    }

    private String jwt(String oid, Duration life) {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256").put("kid", "fake-managed-identity");
        ObjectNode claims = JSON.createObjectNode()
                .put("aud", resource)
                .put("iss", "https://sts.windows.net/" + TENANT + "/")
                .put("iat", now).put("nbf", now).put("exp", now + life.toSeconds())
                .put("oid", oid).put("sub", oid).put("tid", TENANT).put("appid", clientId)
                .put("uti", UUID.randomUUID().toString());
        byte[] signature = new byte[64];
        RANDOM.nextBytes(signature);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        try {
            return url.encodeToString(JSON.writeValueAsBytes(header)) + "." + url.encodeToString(JSON.writeValueAsBytes(claims))
                    + "." + url.encodeToString(signature);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
