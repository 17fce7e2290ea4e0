package io.llmgw.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.provider.bedrock.fake.EventStreams;
import io.llmgw.provider.bedrock.fake.FakeBedrock;
import io.llmgw.provider.bedrock.fake.SigV4Verifier;
import io.llmgw.testing.GoldenCases;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Bedrock golden cases through the core's gateway ({@link InProcessGateway}: configured from YAML, the
 * provider found through {@code META-INF/services}) in front of a loopback fake Bedrock that verifies the SigV4
 * signature of every request ({@link SigV4Verifier}) and answers from the case folder: {@code upstream.json} with
 * {@code upstream-meta.json} as for every golden case, or {@code upstream-events.json} — a list of
 * {@code {"event": type, "payload": {…}}} or {@code {"exception": type, "payload": {…}}} — encoded as a real
 * ConverseStream with AWS's event-stream library. Retries are off, so each case shows one upstream answer.
 *
 * <p>Routes: {@code claude-*} → {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0} (a system inference profile),
 * {@code nova-pro} → {@code amazon.nova-pro-v1:0}, {@code profile} → an application inference profile ARN, anything
 * else → the name asked for.
 */
final class BedrockGoldenTarget implements GoldenCases.Target, GoldenCases.Upstream {
    static final String GATEWAY_KEY = "golden-gateway-key-0123456789abcdef0123";
    static final String PROFILE_ARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SigV4Verifier verifier = FakeBedrock.verifier();
    private final List<String> unsigned = Collections.synchronizedList(new ArrayList<>());

    BedrockGoldenTarget() {
        FakeBedrock.useFakeCredentials();
    }

    @Override
    public Reply reply(Path folder, RecordedRequest request) throws IOException {
        String problem = verifier.problem(request);
        if (problem != null) {
            unsigned.add(problem);
            return Reply.json(403, "{\"message\":\"signature refused\"}");
        }
        Path events = folder.resolve("upstream-events.json");
        if (!Files.exists(events)) {
            return GoldenCases.upstreamReply(folder);
        }
        List<byte[]> frames = new ArrayList<>();
        for (JsonNode frame : JSON.readTree(events.toFile())) {
            String payload = JSON.writeValueAsString(frame.get("payload"));
            frames.add(frame.has("exception") ? EventStreams.exception(frame.get("exception").asText(), payload)
                    : EventStreams.event(frame.get("event").asText(), payload));
        }
        return Reply.frames(EventStreams.CONTENT_TYPE, frames);
    }

    @Override
    public GoldenCases.Result send(GoldenCases.CaseRequest request, String upstreamBaseUrl) throws Exception {
        String yaml = """
                auth: { mode: gateway, keys: ["%s"] }
                routing: { retries: 0 }
                providers:
                  aws: { type: bedrock, region: %s, endpoint: "%s", timeout: 10s }
                models:
                  "claude-*": { deployments: [ { provider: aws, model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" } ] }
                  nova-pro: { deployments: [ { provider: aws, model: "amazon.nova-pro-v1:0" } ] }
                  profile: { deployments: [ { provider: aws, model: "%s" } ] }
                  "*": { deployments: [ { provider: aws } ] }
                """.formatted(GATEWAY_KEY, FakeBedrock.REGION, upstreamBaseUrl, PROFILE_ARN);
        Path dir = Files.createTempDirectory("bedrock-golden");
        try {
            GatewayConfig config = InProcessGateway.load(dir, yaml);
            Headers headers = new Headers();
            request.headers().forEach(headers::add);
            if (!headers.contains("authorization") && !headers.contains("x-api-key")) {
                headers.add("authorization", "Bearer " + GATEWAY_KEY);
            }
            BufferingSink sink = InProcessGateway.send(config, request.method(), request.path(), headers, request.body());
            synchronized (unsigned) {
                if (!unsigned.isEmpty()) {
                    throw new AssertionError("the fake Bedrock refused a signature: " + unsigned);
                }
            }
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            sink.headers().forEach(responseHeaders::putIfAbsent);
            return new GoldenCases.Result(sink.status(), responseHeaders, sink.bodyText());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }
}
