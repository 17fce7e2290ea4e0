package io.llmgw.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport over TLS, as every real upstream is reached: a connection kept between exchanges,
 * the certificate checked for the host the request names, and the JVM's default trust when no
 * context is given. The upstream's certificate is made by the running JDK's keytool for 127.0.0.1
 * only, as {@code UpstreamTlsTest} makes its own.
 */
class NettyUpstreamTlsTest extends TransportTestBase {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static KeyStore keys;
    private FakeUpstream upstream;

    @BeforeAll
    static void makeCertificate(@TempDir Path dir) throws Exception {
        keys = selfSignedKeyStore(dir);
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream(serverTls(), (request, link) -> {
            link.write(SSE_HEAD);
            link.chunk("data: " + request.bodyText() + "\n\n");
            link.write("0\r\n\r\n");
        });

        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SslContext clientTls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(trust).build();
        transport.close();
        transport = new NettyUpstreamTransport(group, clientTls);
    }

    @Test
    void exchangesInTurnShareOneTlsConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            RecordingListener listener = new RecordingListener();
            send(post(url("127.0.0.1")), listener);
            assertThat(listener.head().status()).isEqualTo(200);
            assertThat(listener.bodyUntil("\n\n")).isEqualTo("data: {\"n\":1}\n\n");
            listener.end();
        }
        assertThat(upstream.connections()).as("TLS connections the upstream accepted").isEqualTo(1);
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        RecordingListener listener = new RecordingListener();
        // localhost reaches the same upstream, whose certificate names 127.0.0.1 only
        send(post(url("localhost")), listener);

        RecordingListener.Failure failure = listener.failure();
        assertThat(failure.cause()).isInstanceOf(SSLException.class).hasMessageContaining("No name matching localhost");
        assertThat(failure.deadlinePassed()).isFalse();
        assertThat(upstream.requests).isEmpty();
    }

    @Test
    void theJvmsDefaultTrustRefusesACertificateItDoesNotKnow() throws Exception {
        transport.close();
        transport = new NettyUpstreamTransport(group);
        RecordingListener listener = new RecordingListener();
        send(post(url("127.0.0.1")), listener);

        assertThat(listener.failure().cause()).isInstanceOf(SSLException.class).hasMessageContaining("PKIX path building failed");
        assertThat(upstream.requests).isEmpty();
    }

    @Test
    void theDeadlineEndsAnExchangeWaitingInsideTls() throws Exception {
        upstream.close();
        upstream = new FakeUpstream(serverTls(), (request, link) -> link.awaitClose());
        RecordingListener listener = new RecordingListener();
        send(post(url("127.0.0.1"), Duration.ofMillis(500)), listener);

        assertThat(listener.failure().deadlinePassed()).isTrue();
        upstream.awaitClientClose();
    }

    private static SSLContext serverTls() throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        return serverTls;
    }

    private String url(String host) {
        return "https://" + host + ":" + upstream.port() + "/v1/chat/completions";
    }

    @AfterEach
    void stopUpstream() throws Exception {
        upstream.close();
    }

    /** A key pair and self-signed certificate for 127.0.0.1, made by the running JDK's keytool. */
    private static KeyStore selfSignedKeyStore(Path dir) throws Exception {
        Path file = dir.resolve("upstream.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "upstream", "-keyalg", "EC",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
