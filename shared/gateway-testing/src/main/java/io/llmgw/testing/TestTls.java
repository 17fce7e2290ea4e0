package io.llmgw.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for loopback HTTPS fakes, made by the running JDK's own {@code keytool}
 * (no key material is kept in the repository), with a server context that presents it and a
 * client context that trusts only it.
 */
public final class TestTls {
    private static final char[] PASSWORD = "test-only".toCharArray();

    private final SSLContext server;
    private final SSLContext client;
    private final SSLContext presentingClient;
    private final X509Certificate certificate;

    private TestTls(SSLContext server, SSLContext client, SSLContext presentingClient, X509Certificate certificate) {
        this.server = server;
        this.client = client;
        this.presentingClient = presentingClient;
        this.certificate = certificate;
    }

    /** A certificate for {@code hostNames} (subject alternative names) and 127.0.0.1. */
    public static TestTls create(String... hostNames) {
        try {
            Path dir = Files.createTempDirectory("test-tls");
            Path keystore = dir.resolve("server.p12");
            StringBuilder san = new StringBuilder("SAN=ip:127.0.0.1");
            for (String name : hostNames) {
                san.append(",dns:").append(name);
            }
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                    "-dname", "CN=" + (hostNames.length > 0 ? hostNames[0] : "localhost"), "-ext", san.toString(),
                    "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, PASSWORD);
            }
            Files.delete(keystore);
            Files.delete(dir);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
            Certificate certificate = keys.getCertificate("server");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);

            // the server trusts the certificate too, so that a fake asking for a client's accepts it
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trustManagers.getTrustManagers(), null);
            SSLContext presentingClient = SSLContext.getInstance("TLS");
            presentingClient.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return new TestTls(server, client, presentingClient, (X509Certificate) certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the test certificate", e);
        }
    }

    /** Presents the certificate (for the fake server). */
    public SSLContext serverContext() {
        return server;
    }

    /** The certificate itself, for a client that takes what to trust in another form (Netty's). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Trusts only the certificate (for the client under test). */
    public SSLContext clientContext() {
        return client;
    }

    /** Trusts only the certificate and presents it as its own (a client of a fake that asks for one: mutual TLS). */
    public SSLContext presentingClientContext() {
        return presentingClient;
    }
}
