package io.llmgw.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.TestTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport over TLS, as every real upstream is reached: a connection kept between exchanges,
 * the certificate checked for the host the request names, and the JVM's default trust and client
 * certificate when no context is given. The upstream's certificate names 127.0.0.1 and another host, not localhost ({@link TestTls}).
 */
class NettyUpstreamTlsTest extends TransportTestBase {
    private static TestTls tls;
    private FakeUpstream upstream;

    @BeforeAll
    static void makeCertificate() {
        tls = TestTls.create("upstream.test");  // and 127.0.0.1; not localhost
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream(tls.serverContext(), (request, link) -> {
            link.write(SSE_HEAD);
            link.chunk("data: " + request.bodyText() + "\n\n");
            link.write("0\r\n\r\n");
        });

        SslContext clientTls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(tls.certificate()).build();
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
        // localhost reaches the same upstream, whose certificate does not name it
        send(post(url("localhost")), listener);

        RecordingListener.Failure failure = listener.failure();
        assertThat(failure.cause()).isInstanceOf(SSLException.class).hasMessageContaining("matching localhost");
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
    void theJvmsDefaultContextPresentsItsClientCertificate() throws Exception {
        upstream.requireClientCertificate();
        SSLContext before = SSLContext.getDefault();
        // what javax.net.ssl.keyStore and javax.net.ssl.trustStore make the JVM's default
        SSLContext.setDefault(tls.presentingClientContext());
        try {
            transport.close();
            transport = new NettyUpstreamTransport(group);
            RecordingListener listener = new RecordingListener();
            send(post(url("127.0.0.1")), listener);

            assertThat(listener.head().status()).isEqualTo(200);
            assertThat(listener.bodyUntil("\n\n")).isEqualTo("data: {\"n\":1}\n\n");
            listener.end();
        } finally {
            SSLContext.setDefault(before);
        }
    }

    @Test
    void anUpstreamAskingForAClientCertificateRefusesAClientWithout() throws Exception {
        upstream.requireClientCertificate();
        RecordingListener listener = new RecordingListener();
        send(post(url("127.0.0.1")), listener);

        assertThat(listener.failure().cause()).isInstanceOf(SSLException.class);
        assertThat(upstream.requests).isEmpty();
    }

    @Test
    void theDeadlineEndsAnExchangeWaitingInsideTls() throws Exception {
        upstream.close();
        upstream = new FakeUpstream(tls.serverContext(), (request, link) -> link.awaitClose());
        RecordingListener listener = new RecordingListener();
        send(post(url("127.0.0.1"), Duration.ofMillis(500)), listener);

        assertThat(listener.failure().deadlinePassed()).isTrue();
        upstream.awaitClientClose();
    }

    private String url(String host) {
        return "https://" + host + ":" + upstream.port() + "/v1/chat/completions";
    }

    @AfterEach
    void stopUpstream() throws Exception {
        upstream.close();
    }
}
