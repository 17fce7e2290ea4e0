package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import io.llmgw.testing.ChatScript;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * anthropic-java in front of an OpenAI-compatible server that says which stop sequence ended the
 * text, as vLLM does ({@code stop_reason} beside {@code finish_reason: "stop"}): the SDK's message
 * says {@code stop_sequence} and which one, streamed and not.
 */
class StopSequenceSdkTest extends SdkAgainstFakeUpstream {
    private static final MessageCreateParams PARAMS = MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(256)
            .stopSequences(List.of("END", "###")).addUserMessage("List two fruits, then ###.").build();

    @Test
    void theMatchedSequenceReachesTheSdk() {
        start("openai");
        upstream.handler(ChatScript.text("Apple, pear.").vllmStopReason("###").handler());

        Message created = gateway.anthropic().messages().create(PARAMS);
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = gateway.anthropic().messages().createStreaming(PARAMS)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        for (Message message : List.of(created, accumulator.message())) {
            assertThat(message.stopReason()).contains(StopReason.STOP_SEQUENCE);
            assertThat(message.stopSequence()).contains("###");
            assertThat(message.content().get(0).asText().text()).isEqualTo("Apple, pear.");
        }
        assertThat(upstream.lastRequest().json().get("stop").toString()).isEqualTo("[\"END\",\"###\"]");
    }

    @Test
    void aServerThatSaysNothingStillEndsTheTurn() {
        start("openai");
        upstream.handler(ChatScript.text("Apple, pear.").handler());

        Message created = gateway.anthropic().messages().create(PARAMS);

        assertThat(created.stopReason()).contains(StopReason.END_TURN);
        assertThat(created.stopSequence()).isEmpty();
    }
}
