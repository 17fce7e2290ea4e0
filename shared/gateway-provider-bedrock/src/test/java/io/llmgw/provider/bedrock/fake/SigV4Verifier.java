package io.llmgw.provider.bedrock.fake;

import io.llmgw.testing.RecordedRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Checks a received request's SigV4 signature the way AWS does: recomputes it with the AWS SDK's signer, the same
 * credentials, Region and service, the request's own {@code x-amz-date}, and the request exactly as it arrived
 * (method, raw path, query, the headers it says it signed, the body), and compares the {@code Authorization} header.
 * A request changed after signing — a body re-serialised, a path encoded differently, a header added to the
 * signed set — fails, and so does a date more than five minutes off, as at AWS.
 */
public final class SigV4Verifier {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final List<String> SET_BY_SIGNER = List.of("host", "x-amz-date", "x-amz-security-token", "authorization");

    private final AwsSessionCredentialsIdentity credentials;
    private final String region;
    private final String service;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public SigV4Verifier(AwsSessionCredentialsIdentity credentials, String region, String service) {
        this.credentials = credentials;
        this.region = region;
        this.service = service;
    }

    /** Null when the signature is right; else what is wrong. */
    public String problem(RecordedRequest request) {
        String authorization = request.header("authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return "no SigV4 Authorization header (got " + (authorization == null ? "none" : authorization.split(" ")[0]) + ")";
        }
        String date = request.header("x-amz-date");
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(date == null ? "" : date));
        } catch (DateTimeParseException e) {
            return "x-amz-date missing or malformed: " + date;
        }
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(SKEW) > 0) {
            return "x-amz-date " + date + " is more than five minutes from now";
        }
        if (!credentials.sessionToken().equals(request.header("x-amz-security-token"))) {
            return "x-amz-security-token is not the session token of the credentials";
        }
        String signedHeaders = field(authorization, "SignedHeaders");
        if (signedHeaders == null || !Arrays.asList(signedHeaders.split(";")).containsAll(List.of("host", "x-amz-date"))) {
            return "SignedHeaders does not cover host and x-amz-date: " + signedHeaders;
        }
        String query = request.query() == null ? "" : "?" + request.query();
        SdkHttpRequest.Builder received = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(URI.create("http://" + request.header("host") + request.path() + query));
        for (String name : signedHeaders.split(";")) {
            if (!SET_BY_SIGNER.contains(name)) {
                String value = request.header(name);
                if (value == null) {
                    return "signed header " + name + " is missing from the request";
                }
                received.putHeader(name, value);
            }
        }
        SignedRequest expected = signer.sign(r -> r.identity(credentials).request(received.build())
                .payload(request.body().length == 0 ? null : ContentStreamProvider.fromByteArray(request.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        String recomputed = expected.request().firstMatchingHeader("Authorization").orElse("");
        return recomputed.equals(authorization) ? null
                : "signature mismatch for " + request.method() + " " + request.path() + ": sent " + authorization + ", recomputed " + recomputed;
    }

    private static String field(String authorization, String name) {
        for (String part : authorization.substring(authorization.indexOf(' ') + 1).split(",")) {
            String trimmed = part.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + "=")) {
                return trimmed.substring(name.length() + 1);
            }
        }
        return null;
    }
}
