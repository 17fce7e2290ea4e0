package io.llmgw.lambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import io.llmgw.lambda.secrets.SecretsClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * An in-process fake of Secrets Manager's JSON 1.1 protocol ({@code POST /} with
 * {@code X-Amz-Target: secretsmanager.GetSecretValue}), enough for the real SDK client with an
 * endpoint override. Signatures are not checked. Errors look like the service's: HTTP 400,
 * {@code x-amzn-ErrorType} and {@code {"__type","message"}}.
 */
public final class FakeSecretsManager implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Secret(String value, String versionId) {}

    private final HttpServer server;
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> denied = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger versions = new AtomicInteger();

    private FakeSecretsManager() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static FakeSecretsManager start() throws IOException {
        return new FakeSecretsManager();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Creates or rotates a secret (a new version id each time). */
    public FakeSecretsManager put(String id, String secretString) {
        secrets.put(id, new Secret(secretString, "v" + versions.incrementAndGet()));
        return this;
    }

    /** Reading this secret answers AccessDeniedException. */
    public FakeSecretsManager deny(String id) {
        denied.put(id, id);
        return this;
    }

    /** GetSecretValue calls so far. */
    public int calls() {
        return calls.get();
    }

    /** A real SDK client pointed at this fake, as the runtime would build it. */
    public SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKEFAKEFAKE", "fake-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A client factory for the runtime loop that ignores the environment and returns {@link #client()}. */
    public SecretsClients.Factory factory() {
        return env -> client();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (!"POST".equals(exchange.getRequestMethod()) || !"secretsmanager.GetSecretValue".equals(target)) {
                error(exchange, "UnknownOperationException", "unsupported: " + target);
                return;
            }
            calls.incrementAndGet();
            String id = request.path("SecretId").asText();
            if (denied.containsKey(id)) {
                error(exchange, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/gateway/fn is not authorized "
                        + "to perform: secretsmanager:GetSecretValue on resource: " + id);
                return;
            }
            Secret secret = secrets.get(id);
            if (secret == null) {
                error(exchange, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + id + "-AbCdEf");
            body.put("Name", id);
            body.put("VersionId", secret.versionId());
            body.put("SecretString", secret.value());
            body.putArray("VersionStages").add("AWSCURRENT");
            body.put("CreatedDate", 1.7953464E9);
            send(exchange, 200, Map.of(), JSON.writeValueAsBytes(body));
        }
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
        send(exchange, 400, Map.of("x-amzn-ErrorType", type), JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-" + System.nanoTime());
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
