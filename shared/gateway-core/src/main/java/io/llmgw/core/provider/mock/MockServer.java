package io.llmgw.core.provider.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.dialect.openai.chat.ChatRequestDecoder;
import io.llmgw.core.dialect.openai.chat.ChatResponseEncoder;
import io.llmgw.core.dialect.openai.chat.ChatStreamEncoder;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.error.GatewayException;
import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.InProcessUpstream;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock provider's server, in-process: {@code POST /chat/completions} answered as OpenAI would,
 * as one {@code chat.completion} or as a chunk stream (role chunk, one content delta per word, tool
 * call head and argument fragments, the finish chunk, the usage chunk when
 * {@code stream_options.include_usage} asks for it, {@code [DONE]}), and {@code GET /models}.
 * Requests are read and answers written by the gateway's own chat codec, so the mock speaks the
 * grammar the gateway writes for its chat clients. What it says is {@link MockReply}'s.
 *
 * <p>Its requests are {@code mock:/chat/completions?first_token_ms=…&token_ms=…}: the pacing
 * travels in the URI, so one server serves every mock provider.
 */
public final class MockServer implements InProcessUpstream {
    public static final String SCHEME = "mock";
    private static final int ARGUMENT_FRAGMENT_CHARS = 16;

    /** Where a mock provider's requests go: {@code path} with the provider's pacing. */
    static URI uri(String path, MockSettings latency) {
        MockSettings pacing = latency == null ? MockSettings.NONE : latency;
        return URI.create(SCHEME + ":/" + path + "?first_token_ms=" + pacing.firstToken().toMillis()
                + "&token_ms=" + pacing.perToken().toMillis());
    }

    @Override
    public Answer answer(UpstreamRequest request) {
        String path = request.uri().getPath();
        if (request.body() == null) {
            return path.equals("/models") ? json(200, models())
                    : error(GatewayError.of(ErrorKind.NOT_FOUND, "The mock serves GET /models only.", "not_found"));
        }
        if (!path.equals("/chat/completions")) {
            return error(GatewayError.of(ErrorKind.NOT_FOUND, "The mock serves POST /chat/completions only.", "not_found"));
        }
        try {
            return chatCompletion(request.body(), pacing(request.uri()));
        } catch (GatewayException e) {
            return error(e.error());
        }
    }

    private static Answer chatCompletion(byte[] requestBody, MockSettings pacing) {
        JsonNode parsed;
        try {
            parsed = Json.parse(requestBody);
        } catch (IOException e) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body is not valid JSON.").exception();
        }
        if (!(parsed instanceof ObjectNode body) || !body.path("model").isTextual()) {
            throw GatewayError.of(ErrorKind.INVALID_REQUEST, "The request body must be a JSON object with a string 'model'.")
                    .withParam("model").exception();
        }
        String model = body.get("model").textValue();
        CanonicalRequest request = ChatRequestDecoder.decode(body, model);
        MockReply reply = MockReply.to(request);
        if (!request.stream()) {
            byte[] completion = ChatResponseEncoder.encode(new CanonicalResponse(null, model, content(reply), reply.stop(), null,
                    reply.usage()), model);
            long tokens = Math.max(1, reply.usage().output());
            long wait = pacing.firstToken().toNanos() + pacing.perToken().toNanos() * (tokens - 1);
            return new Answer(200, Headers.of("content-type", "application/json"),
                    new PacedBody(List.of(new PacedBody.Step(wait, completion))));
        }
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new Answer(200, Headers.of("content-type", "text/event-stream; charset=utf-8"),
                new PacedBody(chunks(reply, model, includeUsage, pacing)));
    }

    /** One step per word or argument fragment; the first waits {@code firstToken}, each later one {@code perToken}. */
    private static List<PacedBody.Step> chunks(MockReply reply, String model, boolean includeUsage, MockSettings pacing) {
        List<StreamEvent> tokens = new ArrayList<>();
        reply.words().forEach(word -> tokens.add(new StreamEvent.TextDelta(word)));
        Block.ToolCall call = reply.call();
        if (call != null) {
            tokens.add(new StreamEvent.ToolCallStarted(0, call.id(), call.name(), false, null));
            fragments(call.arguments()).forEach(fragment -> tokens.add(new StreamEvent.ToolCallDelta(0, fragment)));
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        ChatStreamEncoder encoder = new ChatStreamEncoder(model, includeUsage, frames::writeBytes);
        List<PacedBody.Step> steps = new ArrayList<>();
        for (StreamEvent token : tokens) {
            encoder.onEvent(token);
            Duration wait = steps.isEmpty() ? pacing.firstToken() : pacing.perToken();
            steps.add(new PacedBody.Step(wait.toNanos(), frames.toByteArray()));
            frames.reset();
        }
        encoder.onEvent(new StreamEvent.Finished(reply.stop(), null));
        encoder.onEvent(new StreamEvent.UsageReported(reply.usage()));
        encoder.onComplete();
        steps.add(new PacedBody.Step(steps.isEmpty() ? pacing.firstToken().toNanos() : 0, frames.toByteArray()));
        return steps;
    }

    private static List<Block> content(MockReply reply) {
        List<Block> content = new ArrayList<>();
        content.add(new Block.Text(String.join("", reply.words())));
        if (reply.call() != null) {
            content.add(reply.call());
        }
        return content;
    }

    /** Arguments in short pieces, as models stream them, never splitting a surrogate pair. */
    private static List<String> fragments(String arguments) {
        List<String> fragments = new ArrayList<>();
        int start = 0;
        while (start < arguments.length()) {
            int end = Math.min(arguments.length(), start + ARGUMENT_FRAGMENT_CHARS);
            if (end < arguments.length() && Character.isHighSurrogate(arguments.charAt(end - 1))) {
                end++;
            }
            fragments.add(arguments.substring(start, end));
            start = end;
        }
        return fragments;
    }

    private static byte[] models() {
        ObjectNode list = Json.object().put("object", "list");
        list.putArray("data").addObject().put("id", "mock").put("object", "model").put("created", 0).put("owned_by", "llm-gateway");
        return Json.bytes(list);
    }

    private static MockSettings pacing(URI uri) {
        long firstToken = 0;
        long perToken = 0;
        for (String parameter : uri.getQuery() == null ? new String[0] : uri.getQuery().split("&")) {
            String[] pair = parameter.split("=", 2);
            long millis = pair.length == 2 ? Long.parseLong(pair[1]) : 0;
            switch (pair[0]) {
                case "first_token_ms" -> firstToken = millis;
                case "token_ms" -> perToken = millis;
                default -> { }
            }
        }
        return new MockSettings(Duration.ofMillis(firstToken), Duration.ofMillis(perToken));
    }

    private static Answer error(GatewayError error) {
        return json(error.status(), OpenAiErrors.INSTANCE.body(error));
    }

    private static Answer json(int status, byte[] body) {
        return new Answer(status, Headers.of("content-type", "application/json"), new ByteArrayInputStream(body));
    }
}
