package io.llmgw.provider.bedrock;

import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.UpstreamRequest;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Authenticates a Bedrock request: a key (a Bedrock API key, configured or the caller's own) as a bearer token;
 * without one, a SigV4 signature over the whole request — method, URI, headers and body — made by the AWS SDK's
 * signer with credentials from the default chain (environment variables, which is how Lambda hands over its role,
 * then profiles, web identity, the ECS task role, the instance role). The chain is built on first use, so a
 * gateway that only ever uses API keys never looks for AWS credentials, and it caches and refreshes what it found.
 */
final class BedrockSigner {
    /** The service name Bedrock's runtime signs with. */
    static final String SERVICE = "bedrock";

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(BedrockSigner.class);
    }

    private final String region;
    private final String providerName;
    private final Supplier<AwsCredentialsProvider> chain;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private volatile AwsCredentialsProvider credentials;

    BedrockSigner(String region, String providerName) {
        this(region, providerName, () -> DefaultCredentialsProvider.builder().build());
    }

    BedrockSigner(String region, String providerName, Supplier<AwsCredentialsProvider> chain) {
        this.region = region;
        this.providerName = providerName;
        this.chain = chain;
    }

    UpstreamRequest sign(UpstreamRequest request, String key) {
        if (key != null) {
            return request.withHeader("authorization", "Bearer " + key);
        }
        AwsCredentialsIdentity identity = credentials();
        SdkHttpRequest.Builder http = SdkHttpRequest.builder()
                .method(request.body() == null ? SdkHttpMethod.GET : SdkHttpMethod.POST)
                .uri(request.uri());
        request.headers().forEach(http::appendHeader);
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(http.build())
                .payload(request.body() == null ? null : ContentStreamProvider.fromByteArrayUnsafe(request.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        Headers headers = new Headers();
        signed.request().forEachHeader((name, values) -> values.forEach(value -> headers.add(name, value)));
        return request.withHeaders(headers);
    }

    /**
     * The chain's current credentials. When it finds none the request fails over like any refused credential
     * (the gateway's problem, a 502); the chain's reasons — which may name files and profiles — go to the log only.
     */
    private AwsCredentialsIdentity credentials() {
        AwsCredentialsProvider provider = credentials;
        if (provider == null) {
            synchronized (this) {
                if (credentials == null) {
                    credentials = chain.get();
                }
                provider = credentials;
            }
        }
        try {
            return provider.resolveCredentials();
        } catch (RuntimeException e) {
            Log.LOG.warn("Bedrock provider '{}': no AWS credentials to sign with: {}", providerName, e.getMessage());
            throw GatewayError.of(ErrorKind.CREDENTIAL, "The gateway has no AWS credentials to sign its request to Amazon Bedrock "
                    + "(provider '" + providerName + "'). Give the gateway an AWS role or credentials, or configure a Bedrock API key.",
                    "upstream_credentials_missing").withStatus(502).exception();
        }
    }
}
