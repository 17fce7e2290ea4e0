package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StreamEvent;

/**
 * A complete canonical answer as a Responses response object. It is replayed through the stream
 * encoder with nothing written, so a non-streamed response is by construction the object the
 * streamed {@code response.completed} (or {@code .incomplete}) would have carried.
 */
final class ResponsesResponseEncoder {
    private ResponsesResponseEncoder() {}

    static ObjectNode encode(ResponseEnvelope envelope, CanonicalResponse response) {
        ResponsesStreamEncoder encoder = new ResponsesStreamEncoder(envelope, null);
        int slot = 0;
        for (Block block : response.content()) {
            switch (block) {
                case Block.Thinking thinking -> {
                    if (thinking.text() != null && !thinking.text().isEmpty()) {
                        encoder.onEvent(new StreamEvent.ReasoningDelta(thinking.text()));
                        if (thinking.signature() != null) {
                            encoder.onEvent(new StreamEvent.ReasoningSignature(thinking.signature()));
                        }
                    } else if (thinking.signature() != null) {
                        encoder.onEvent(new StreamEvent.ReasoningSignature(thinking.signature()));  // text omitted, signature kept
                    }
                }
                case Block.RedactedThinking redacted -> encoder.onEvent(new StreamEvent.RedactedReasoning(redacted.data()));
                case Block.Text text -> encoder.onEvent(new StreamEvent.TextDelta(text.text()));
                case Block.ToolCall call -> {
                    encoder.onEvent(new StreamEvent.ToolCallStarted(slot, call.id(), call.name(), call.custom(), call.signature()));
                    if (call.arguments() != null && !call.arguments().isEmpty()) {
                        encoder.onEvent(new StreamEvent.ToolCallDelta(slot, call.arguments()));
                    }
                    slot++;
                }
                default -> {
                    // images, documents and tool results are never part of an assistant's answer
                }
            }
        }
        encoder.onEvent(new StreamEvent.Finished(response.stopReason(), response.stopSequence()));
        encoder.onEvent(new StreamEvent.UsageReported(response.usage()));
        encoder.onComplete();
        return encoder.finalResponse();
    }
}
