package io.llmgw.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.FakeManagedIdentity;
import io.llmgw.testing.LocalRedis;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GATEWAY_REDIS_AUTH=entra} end to end, as on Azure: a gateway process whose environment
 * names a user-assigned managed identity gets its tokens from the (fake, loopback) managed-identity
 * endpoint through the real Azure identity library, and signs in to a real redis-server whose only
 * users are the identity's object id, with the token as its password, and an administrator the test
 * uses to watch the server. No token appears in anything the process prints.
 */
class EntraRedisTest {
    private static final String RESOURCE = "https://redis.azure.com";
    private static final String CLIENT_ID = UUID.randomUUID().toString();
    private static final String OBJECT_ID = UUID.randomUUID().toString();
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path directory;
    private final FakeManagedIdentity identity = FakeManagedIdentity.start(RESOURCE, CLIENT_ID, OBJECT_ID);
    private LocalRedis redis;
    private RedisClient adminClient;
    private StatefulRedisConnection<String, String> adminConnection;
    private RedisCommands<String, String> admin;

    /** A server that knows the identity by its object id, with these tokens as its passwords. */
    private void startRedis(String... tokens) {
        List<String> arguments = new java.util.ArrayList<>(List.of("--user", "default", "off",
                "--user", "admin", "on", ">" + ADMIN_PASSWORD, "~*", "&*", "+@all", "--user", OBJECT_ID, "on"));
        Arrays.stream(tokens).forEach(token -> arguments.add(">" + token));
        arguments.addAll(List.of("~*", "&*", "+@all"));
        redis = LocalRedis.start(arguments.toArray(String[]::new));
        adminClient = RedisClient.create("redis://admin:" + ADMIN_PASSWORD + "@127.0.0.1:" + redis.port());
        adminConnection = adminClient.connect();
        admin = adminConnection.sync();
    }

    @AfterEach
    void stop() {
        if (adminConnection != null) {
            adminConnection.close();
            adminClient.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
        identity.close();
    }

    /**
     * An Azure app's environment (App Service, Functions, Container Apps) and the gateway's settings;
     * the store's timeout is raised from 2 s for a test JVM's first token (the Azure SDK's classes
     * load first), which must not fail the first operation on a busy machine.
     */
    private ProbeProcess gateway() throws Exception {
        Path config = Files.createTempFile(directory, "gateway", ".yaml");
        Files.writeString(config, "state:\n  timeout: 20s\n");
        ProbeProcess probe = new ProbeProcess(Map.of(
                "IDENTITY_ENDPOINT", identity.endpoint(),
                "IDENTITY_HEADER", identity.header(),
                "AZURE_CLIENT_ID", CLIENT_ID,
                "BACKEND_URL", "http://127.0.0.1:9/v1/chat/completions",
                "GATEWAY_CONFIG", config.toString(),
                "GATEWAY_REDIS_URL", redis.url(),
                "GATEWAY_REDIS_AUTH", "entra"));
        assertThat(probe.answer()).isEqualTo("ok open redis");
        return probe;
    }

    /** The ids of the server's connections signed in as the identity. */
    private List<String> identityConnections() {
        return Arrays.stream(admin.clientList().split("\n"))
                .filter(line -> line.contains(" user=" + OBJECT_ID + " "))
                .map(line -> line.replaceAll("^id=(\\d+) .*$", "$1"))
                .toList();
    }

    /** How often the server has run {@code AUTH} (a connection's first sign-in is part of its {@code HELLO}). */
    private long authCalls() {
        Matcher calls = Pattern.compile("cmdstat_auth:calls=(\\d+)").matcher(admin.info("commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theStoreSignsInAsTheIdentityWithItsToken() throws Exception {
        String token = identity.next(HOUR);
        startRedis(token);
        try (ProbeProcess gateway = gateway()) {
            assertThat(gateway.send("add budget 2")).isEqualTo("ok 2");
            assertThat(gateway.send("add budget 3")).isEqualTo("ok 5");
            assertThat(gateway.send("get budget")).isEqualTo("ok 5");
            assertThat(gateway.send("reserve spend 7 10")).isEqualTo("ok granted 7");
            assertThat(gateway.send("reserve spend 7 10")).isEqualTo("ok refused 7");
            assertThat(gateway.send("put cached hello")).isEqualTo("ok stored");
            assertThat(gateway.send("value cached")).isEqualTo("ok hello");
            assertThat(gateway.send("take rpm")).isEqualTo("ok true");

            assertThat(identityConnections()).hasSize(1);
            // the identity library asked the endpoint as App Service's protocol says, for the Redis resource and this identity
            FakeManagedIdentity.Request request = identity.requests().get(0);
            assertThat(request.query()).containsEntry("resource", RESOURCE).containsEntry("client_id", CLIENT_ID)
                    .containsEntry("api-version", "2019-08-01");
            assertThat(request.identityHeader()).isEqualTo(identity.header());
            assertThat(identity.issued()).isEqualTo(1);
            assertThat(gateway.output()).doesNotContain(token);
        }
    }

    @Test
    void aTokenTheServerRefusesFailsOperationsWithoutShowingIt() throws Exception {
        String handedOut = identity.next(HOUR);
        startRedis("a-token-the-server-knows-" + UUID.randomUUID());
        try (ProbeProcess gateway = gateway()) {
            assertThat(gateway.send("add budget 1"))
                    .startsWith("failed " + redis.url() + ": cannot connect: WRONGPASS")
                    .contains("state.auth entra: the server does not accept the token's user");
            assertThat(gateway.send("take rpm")).startsWith("failed " + redis.url() + ": cannot connect: WRONGPASS");
            assertThat(identity.issued()).isEqualTo(1);
            assertThat(gateway.output()).doesNotContain(handedOut);
        }
    }

    @Test
    void theTokenIsRenewedOnTheLiveConnectionBeforeItExpiresAndReconnectionsUseTheNewOne() throws Exception {
        Duration shortLife = Duration.ofSeconds(4);
        String first = identity.next(shortLife);
        String second = identity.next(HOUR);
        startRedis(first, second);
        try (ProbeProcess gateway = gateway()) {
            assertThat(gateway.send("add calls 1")).isEqualTo("ok 1");
            Instant firstExpires = Instant.now().plus(shortLife);
            String connection = identityConnections().getFirst();
            long authBefore = authCalls();

            await("the identity endpoint was asked again", () -> identity.issued() >= 2);
            await("the live connection sent AUTH with the renewed token", () -> authCalls() > authBefore);
            assertThat(identityConnections()).containsExactly(connection);

            // past the first token's end the server no longer accepts it, as Azure does, and drops the connection
            while (Instant.now().isBefore(firstExpires)) {
                Thread.sleep(100);
            }
            assertThat(gateway.send("add calls 1")).isEqualTo("ok 2");
            admin.aclSetuser(OBJECT_ID, io.lettuce.core.AclSetuserArgs.Builder.removePassword(first));
            admin.clientKill(KillArgs.Builder.user(OBJECT_ID));
            await("the gateway reconnected with the renewed token", () -> gateway.send("add calls 1").startsWith("ok "));
            assertThat(identityConnections()).hasSize(1).doesNotContain(connection);
            assertThat(gateway.send("get calls")).isEqualTo("ok 3");
            assertThat(gateway.output()).doesNotContain(first).doesNotContain(second);
        }
    }
}
