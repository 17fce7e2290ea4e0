package io.llmgw.core.fuzz;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.stream.SseReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * What every answer a client gets must look like, whatever it sent: an answer the client's own SDK
 * can read. Errors are the dialect's error JSON; successes are one JSON document or an event stream
 * whose every event carries JSON; nothing is an unexpected failure of the gateway.
 */
final class ClientAnswers {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The error shape a path's clients read. */
    enum Dialect {
        /** {@code {"error":{"message","type",…}}} (Chat Completions, Responses, models). */
        OPENAI,
        /** {@code {"type":"error","error":{"type","message"}}} (Messages, count_tokens). */
        ANTHROPIC;

        static Dialect of(String path) {
            return path.startsWith("/v1/messages") ? ANTHROPIC : OPENAI;
        }
    }

    private ClientAnswers() {}

    /**
     * For a request a client sent: a 2xx or a 4xx, never a 5xx (the upstream is the mock, which
     * does not fail), and never an unexpected failure.
     */
    static void assertClientAnswer(Dialect dialect, FuzzGateway.Answer answer) {
        if (!(answer.status() >= 200 && answer.status() < 300 || answer.status() >= 400 && answer.status() < 500)) {
            throw new AssertionError("neither 2xx nor 4xx: " + answer);
        }
        assertReadable(dialect, answer);
    }

    /**
     * For an answer built from whatever an upstream sent: any status (a garbled upstream is a 502),
     * but never an unexpected failure, and errors in the client's dialect. A success the gateway
     * translated must be readable; one it passed through (same dialect on both sides) carries the
     * upstream's own bytes, which the gateway forwards without judging them.
     */
    static void assertReadable(Dialect dialect, FuzzGateway.Answer answer, boolean passedThrough) {
        if ("internal".equals(answer.errorKind())) {
            throw new AssertionError("the gateway failed unexpectedly (see the ERROR log line above): " + answer);
        }
        if (answer.status() >= 400) {
            assertErrorBody(dialect, answer);
        } else if (!passedThrough) {
            assertReadable(dialect, answer);
        }
    }

    private static void assertReadable(Dialect dialect, FuzzGateway.Answer answer) {
        if ("internal".equals(answer.errorKind())) {
            throw new AssertionError("the gateway failed unexpectedly (see the ERROR log line above): " + answer);
        }
        if (answer.status() >= 400) {
            assertErrorBody(dialect, answer);
        } else if (answer.contentType().startsWith("text/event-stream")) {
            assertEventStream(answer);
        } else if (answer.contentType().startsWith("application/json")) {
            JsonNode body = parse(answer.body(), answer);
            if (!body.isObject()) {
                throw new AssertionError("a JSON answer that is not an object: " + answer);
            }
        } else if (answer.status() != 204 && answer.status() != 200) {
            throw new AssertionError("an answer of an unexpected type: " + answer);
        }
    }

    private static void assertErrorBody(Dialect dialect, FuzzGateway.Answer answer) {
        if (!answer.contentType().startsWith("application/json")) {
            throw new AssertionError("an error that is not JSON: " + answer);
        }
        JsonNode body = parse(answer.body(), answer);
        JsonNode error = body.path("error");
        boolean shaped = switch (dialect) {
            case OPENAI -> error.path("message").isTextual() && error.path("type").isTextual();
            case ANTHROPIC -> body.path("type").asText().equals("error")
                    && error.path("type").isTextual() && error.path("message").isTextual();
        };
        if (!shaped || error.path("message").asText().isBlank()) {
            throw new AssertionError("not the " + dialect + " error shape: " + answer);
        }
    }

    private static void assertEventStream(FuzzGateway.Answer answer) {
        SseReader reader = new SseReader(new ByteArrayInputStream(answer.body()));
        try {
            for (SseEvent event; (event = reader.next()) != null; ) {
                if (!event.isDone()) {
                    parse(event.data(), answer);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("an unreadable event stream: " + answer, e);
        }
    }

    private static JsonNode parse(byte[] json, FuzzGateway.Answer answer) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + e.getMessage() + "): " + answer, e);
        }
    }
}
