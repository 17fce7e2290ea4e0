package io.llmgw.provider.bedrock.fake;

import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * A loopback Bedrock runtime for tests: every request must be signed with SigV4 for {@link #REGION} and service
 * {@code bedrock} with the fake credentials below — or, once {@link #expectBearer} is called, carry that API key as
 * a bearer token — or it is refused with Bedrock's 403 and recorded as a failure ({@link #authFailures()}); the
 * test asserts there are none. Replies are scripted as on {@link FakeUpstream}; event streams with {@link EventStreams}.
 *
 * <p>The gateway's Bedrock provider finds the fake credentials through the AWS default chain, which reads the
 * {@code aws.accessKeyId} / {@code aws.secretAccessKey} / {@code aws.sessionToken} system properties first:
 * {@link #start()} sets them.
 */
public final class FakeBedrock implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "AKIDFAKEBEDROCKTEST1";
    public static final String SECRET_KEY = "fake/secret/for/loopback/tests/only/0000000";
    public static final String SESSION_TOKEN = "fake-session-token-for-loopback-tests";

    private final FakeUpstream upstream = FakeUpstream.start();
    private final SigV4Verifier verifier = verifier();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile String bearer;
    private static final Function<RecordedRequest, Reply> NO_REPLY = request -> Reply.json(404, "{\"message\":\"no reply scripted\"}")
            .header("x-amzn-errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    private volatile Function<RecordedRequest, Reply> handler = NO_REPLY;

    private FakeBedrock() {
        upstream.handler(this::answer);
    }

    public static FakeBedrock start() {
        useFakeCredentials();
        return new FakeBedrock();
    }

    /** Makes the fake credentials the first the AWS default chain finds in this JVM. */
    public static void useFakeCredentials() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        System.setProperty("aws.sessionToken", SESSION_TOKEN);
    }

    /** The verifier of this fake's signatures, for harnesses that run their own loopback server. */
    public static SigV4Verifier verifier() {
        return new SigV4Verifier(AwsSessionCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN), REGION, "bedrock");
    }

    /** {@code http://127.0.0.1:<port>}, for a provider's {@code endpoint}. */
    public String endpoint() {
        return upstream.baseUrl();
    }

    /** From now on, requests must carry {@code Authorization: Bearer <apiKey>} instead of a signature. */
    public FakeBedrock expectBearer(String apiKey) {
        bearer = apiKey;
        return this;
    }

    /** Answers every request not served by a queued reply (once it passed the authentication check). */
    public FakeBedrock handler(Function<RecordedRequest, Reply> newHandler) {
        handler = newHandler;
        return this;
    }

    /** Answers the next request with this reply (queued replies are used in order, once each). */
    public FakeBedrock enqueue(Function<RecordedRequest, Reply> reply) {
        upstream.enqueue(request -> checked(request, reply));
        return this;
    }

    /** Forgets requests, queued replies, the handler, refusals and the bearer expectation, for the next test. */
    public void clear() {
        upstream.clear();
        failures.clear();
        bearer = null;
        handler = NO_REPLY;
    }

    public List<RecordedRequest> requests() {
        return upstream.requests();
    }

    /** What was wrong with the authentication of each refused request (empty when every request passed). */
    public List<String> authFailures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    private Reply answer(RecordedRequest request) {
        return checked(request, handler);
    }

    private Reply checked(RecordedRequest request, Function<RecordedRequest, Reply> reply) {
        String expectedBearer = bearer;
        String problem = expectedBearer != null
                ? (("Bearer " + expectedBearer).equals(request.header("authorization")) ? null : "no bearer token " + expectedBearer)
                : verifier.problem(request);
        if (problem != null) {
            failures.add(problem);
            return Reply.json(403, "{\"message\":\"" + problem.replace("\"", "'") + "\"}")
                    .header("x-amzn-errortype", "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/");
        }
        return reply.apply(request);
    }

    @Override
    public void close() {
        upstream.close();
    }
}
