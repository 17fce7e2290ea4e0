package io.llmgw.core.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.error.GatewayError;
import io.llmgw.core.protocol.UpstreamEvents;
import io.llmgw.core.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiErrors#beforeStream} answers every first event as it did when it read each one as a
 * JSON tree ({@link #treeReading}): content passes (null), a non-object is malformed, an
 * {@code error} that is not null is the upstream's error, whatever else the event holds, however it
 * is broken, and wherever the error key repeats. The recorded, broken and generated chat chunks are
 * checked by {@link ChatChunkAgainstTreeTest}, which reads them all.
 */
class FirstEventAgainstTreeTest {

    @Test
    void errorEvents() {
        answersAsTheTreeDoes("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
        answersAsTheTreeDoes("{\"error\":\"overloaded\"}");
        answersAsTheTreeDoes("{\"error\":null,\"choices\":[]}");
        answersAsTheTreeDoes("{\"error\":{\"message\":\"first\"},\"error\":null}");
        answersAsTheTreeDoes("{\"error\":null,\"error\":{\"message\":\"last\",\"code\":\"server_error\"}}");
        answersAsTheTreeDoes("{\"choices\":[{\"error\":{\"message\":\"nested, not an error of the event\"}}]}");
        answersAsTheTreeDoes("{\"error\":{\"message\":\"cut\"}");
        answersAsTheTreeDoes("{\"error\":{\"message\":\"trailing\"}} {}");
        answersAsTheTreeDoes("[{\"error\":{}}]");
        answersAsTheTreeDoes("");
        assertThat(OpenAiErrors.beforeStream(event("{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}")))
                .extracting(GatewayError::message).isEqualTo("Rate limit reached");
        assertThat(OpenAiErrors.beforeStream(event("{\"error\":null,\"choices\":[]}"))).isNull();
        assertThat(OpenAiErrors.beforeStream(event("[DONE]"))).extracting(GatewayError::code).isEqualTo("upstream_stream_empty");
        assertThat(OpenAiErrors.beforeStream(event("{\"error\":{\"message\":\"cut\"}"))).extracting(GatewayError::code)
                .isEqualTo("upstream_malformed_event");
    }

    @Test
    void generatedResponsesEvents() {
        RecordedEvents.forEachGenerated(44, 10_000, ChunkShapes::responsesEvent, FirstEventAgainstTreeTest::answersAsTheTreeDoes);
    }

    @Test
    void deepChunks() {
        answersAsTheTreeDoes("{\"x\":" + "[".repeat(1_500) + "]".repeat(1_500) + ",\"error\":{\"message\":\"m\"}}");
        answersAsTheTreeDoes("{\"error\":" + "{\"a\":".repeat(900) + "1" + "}".repeat(900) + "}");
    }

    private static void answersAsTheTreeDoes(String data) {
        answersAsTheTreeDoes(data.getBytes(StandardCharsets.UTF_8));
    }

    /** Also checked for every chunk {@link ChatChunkAgainstTreeTest} reads: the recorded, broken and generated ones. */
    static void answersAsTheTreeDoes(byte[] data) {
        SseEvent first = new SseEvent(null, data);
        // compared as text: a record's headers component has no equality of its own
        assertThat(String.valueOf(OpenAiErrors.beforeStream(first))).as(RecordedEvents.shown(data))
                .isEqualTo(String.valueOf(treeReading(first)));
    }

    /** The reading before: every first event a tree. */
    private static GatewayError treeReading(SseEvent first) {
        return first.isDone() ? UpstreamEvents.empty() : OpenAiErrors.inChunk(UpstreamEvents.object(first));
    }

    private static SseEvent event(String data) {
        return new SseEvent(null, data.getBytes(StandardCharsets.UTF_8));
    }
}
