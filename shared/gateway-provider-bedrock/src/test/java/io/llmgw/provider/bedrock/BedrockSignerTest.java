package io.llmgw.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.provider.bedrock.fake.FakeBedrock;
import io.llmgw.provider.bedrock.fake.SigV4Verifier;
import io.llmgw.testing.RecordedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The signer, and the fake's verifier checked against it: a request signed by the gateway passes, and the same
 * request changed in any signed part after signing does not.
 */
class BedrockSignerTest {
    private static final String PATH = "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse";
    private static final AwsCredentialsProvider FAKE = () -> AwsSessionCredentials.create(FakeBedrock.ACCESS_KEY, FakeBedrock.SECRET_KEY,
            FakeBedrock.SESSION_TOKEN);
    private final SigV4Verifier verifier = FakeBedrock.verifier();

    private static UpstreamRequest request() {
        return new UpstreamRequest(URI.create("http://127.0.0.1:4599" + PATH),
                Headers.of("content-type", "application/json", "accept", "application/json", "x-request-id", "req_1"),
                "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    /** The request as the fake receives it: the headers sent, and the host the client adds. */
    private static RecordedRequest received(UpstreamRequest sent, String path, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        sent.headers().forEach(headers::put);
        headers.put("host", "127.0.0.1:4599");
        return new RecordedRequest("POST", path, null, headers, body);
    }

    @Test
    void aSignedRequestCarriesSigV4ForBedrockInTheRegionAndPassesTheCheck() {
        UpstreamRequest signed = new BedrockSigner("us-east-1", "aws", () -> FAKE).sign(request(), null);

        String authorization = signed.headers().first("authorization");
        assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY + "/")
                .contains("/us-east-1/bedrock/aws4_request").contains("SignedHeaders=").contains("Signature=");
        assertThat(signed.headers().first("x-amz-security-token")).isEqualTo(FakeBedrock.SESSION_TOKEN);
        assertThat(signed.headers().first("x-amz-date")).matches("\\d{8}T\\d{6}Z");
        assertThat(signed.headers().first("x-request-id")).isEqualTo("req_1");
        assertThat(signed.uri()).isEqualTo(request().uri());
        assertThat(verifier.problem(received(signed, PATH, signed.body()))).isNull();
    }

    @Test
    void theCheckFailsForAnyChangeAfterSigning() {
        UpstreamRequest signed = new BedrockSigner("us-east-1", "aws", () -> FAKE).sign(request(), null);

        assertThat(verifier.problem(received(signed, PATH, "{\"messages\":[1]}".getBytes(StandardCharsets.UTF_8))))
                .startsWith("signature mismatch");
        assertThat(verifier.problem(received(signed, PATH.replace("%3A", ":"), signed.body()))).startsWith("signature mismatch");
        RecordedRequest retyped = received(signed.withHeader("content-type", "text/plain"), PATH, signed.body());
        assertThat(verifier.problem(retyped)).startsWith("signature mismatch");
        assertThat(verifier.problem(received(new BedrockSigner("eu-west-1", "aws", () -> FAKE).sign(request(), null), PATH,
                signed.body()))).startsWith("signature mismatch");
    }

    @Test
    void aKeyIsSentAsABearerTokenAndTheCredentialChainIsNeverBuilt() {
        AtomicInteger built = new AtomicInteger();
        BedrockSigner signer = new BedrockSigner("us-east-1", "aws", () -> {
            built.incrementAndGet();
            return FAKE;
        });

        UpstreamRequest signed = signer.sign(request(), "ABSK-bedrock-api-key");

        assertThat(signed.headers().first("authorization")).isEqualTo("Bearer ABSK-bedrock-api-key");
        assertThat(signed.headers().contains("x-amz-date")).isFalse();
        assertThat(built).hasValue(0);
        assertThat(verifier.problem(received(signed, PATH, signed.body()))).startsWith("no SigV4 Authorization header");
    }

    @Test
    void noCredentialsAnywhereIsTheGatewaysOwn502WithoutTheChainsDetails() {
        BedrockSigner signer = new BedrockSigner("us-east-1", "aws", () -> () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain: "
                    + "ProfileFileCredentialsProvider(profileName=default, profileFile=/home/someone/.aws/credentials)");
        });

        assertThatThrownBy(() -> signer.sign(request(), null)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.error().kind()).isEqualTo(ErrorKind.CREDENTIAL);
            assertThat(e.error().status()).isEqualTo(502);
            assertThat(e.error().message()).contains("provider 'aws'").contains("AWS role or credentials").doesNotContain("/home/someone");
        });
    }
}
