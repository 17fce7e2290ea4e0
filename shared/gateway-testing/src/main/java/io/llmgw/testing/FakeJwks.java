package io.llmgw.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider's key endpoint on loopback: serves the public half of the keys it holds as
 * a JWK set ({@code GET /keys}, as an OpenID provider's {@code jwks_uri} does) and counts the
 * fetches, so a test can see how often a verifier asked. Keys are generated per instance (RSA
 * 2048, EC P-256); tokens are signed with them by Nimbus JOSE+JWT.
 */
public final class FakeJwks implements AutoCloseable {
    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();

    private FakeJwks() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/keys", this::serve);
        server.start();
    }

    public static FakeJwks start() {
        try {
            return new FakeJwks();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake JWKS endpoint", e);
        }
    }

    /** The JWKS URL, for {@code auth.jwt.jwks_url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/keys";
    }

    /** How many times the key set was fetched. */
    public int fetches() {
        return fetches.get();
    }

    /** A new RSA key, published. */
    public SigningKey rsa(String kid) {
        return publish(unpublishedRsa(kid));
    }

    /** A new EC P-256 key, published. */
    public SigningKey ec(String kid) {
        try {
            return publish(new SigningKey(new ECKeyGenerator(Curve.P_256).keyID(kid).generate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new RSA key the endpoint does not serve (yet): a rotated-in key, or another issuer's. */
    public SigningKey unpublishedRsa(String kid) {
        try {
            return new SigningKey(new RSAKeyGenerator(2048).keyID(kid).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds {@code key} (its public half) to the served set. */
    public SigningKey publish(SigningKey key) {
        published.add(key.jwk());
        return key;
    }

    private void serve(HttpExchange exchange) throws IOException {
        fetches.incrementAndGet();
        byte[] body = new JWKSet(List.copyOf(published)).toString(true).getBytes(StandardCharsets.UTF_8);  // public keys only
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** A token with the {@code none} algorithm and no signature ({@code header.payload.}). */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A key pair held by the fake provider. */
    public record SigningKey(JWK jwk) {
        /** A token signed as the provider would: RS256 (RSA) or ES256 (EC), with {@code kid} and {@code typ: JWT}. */
        public String sign(JWTClaimsSet claims) {
            try {
                return jwk instanceof RSAKey rsa ? sign(JWSAlgorithm.RS256, new RSASSASigner(rsa), claims)
                        : sign(JWSAlgorithm.ES256, new ECDSASigner((ECKey) jwk), claims);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * The algorithm-confusion attack: HS256 with this RSA key's public half (as published, DER)
         * as the HMAC secret. A verifier that hands the published key to whatever algorithm the
         * header names would accept it.
         */
        public String hmacWithPublicKey(JWTClaimsSet claims) {
            try {
                byte[] publicKey = ((RSAKey) jwk).toRSAPublicKey().getEncoded();
                return sign(JWSAlgorithm.HS256, new MACSigner(publicKey), claims);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        private String sign(JWSAlgorithm alg, JWSSigner signer, JWTClaimsSet claims) throws JOSEException {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(jwk.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        }
    }
}
