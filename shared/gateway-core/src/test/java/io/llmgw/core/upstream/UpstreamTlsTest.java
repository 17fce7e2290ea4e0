package io.llmgw.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream client over TLS, as every real upstream is reached: the TLS socket is layered on the
 * client's blocking channel socket, a connection is kept between calls, and the deadline still
 * ends a read that waits inside TLS. The server is the JDK's own HTTPS server with a certificate
 * made by keytool for the test.
 */
class UpstreamTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private HttpsServer server;
    /** The server's handler threads: the silent handler waits on one while the client's read is cut off. */
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private UpstreamClient client;
    /** HttpsConfigurator.configure runs once per TLS connection the server accepts. */
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        KeyStore keys = selfSignedKeyStore();
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                connections.incrementAndGet();
                super.configure(params);
            }
        });
        server.createContext("/v1/chat/completions", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"echo\":" + new String(request, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/silent", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(handlers);
        server.start();

        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        client = new UpstreamClient(Map.of(), clientTls);
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void callsInTurnShareOneTlsConnection() throws IOException {
        for (int i = 0; i < 3; i++) {
            UpstreamResponse response = client.send(request("/v1/chat/completions", Duration.ofSeconds(5)));
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.readBody(1000), StandardCharsets.UTF_8)).isEqualTo("{\"echo\":{\"n\":1}}");
        }
        assertThat(connections.get()).as("TLS connections the server accepted").isEqualTo(1);
    }

    @Test
    void theDeadlineEndsAReadWaitingInsideTls() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(request("/silent", Duration.ofMillis(700))))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().kind()).isEqualTo(ErrorKind.TIMEOUT))
                .hasMessageContaining("did not answer within 700 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    private UpstreamRequest request(String path, Duration timeout) {
        return new UpstreamRequest(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path),
                Headers.of("content-type", "application/json"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8), timeout,
                Duration.ofSeconds(5));
    }

    /** A key pair and self-signed certificate for 127.0.0.1, made by the running JDK's keytool. */
    private KeyStore selfSignedKeyStore() throws Exception {
        Path file = dir.resolve("upstream.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "upstream", "-keyalg", "EC",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }
}
