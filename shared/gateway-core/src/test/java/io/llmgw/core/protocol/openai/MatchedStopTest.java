package io.llmgw.core.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.stream.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stop sequence a server says ended the text: vLLM's {@code stop_reason}, SGLang's {@code matched_stop}. */
class MatchedStopTest {
    private static final List<String> STOPS = List.of("END", "###");

    private static StreamEvent.Finished streamed(String choiceExtra) {
        ChatStreamDecoder decoder = new ChatStreamDecoder(ToolNames.NONE, Set.of(), STOPS);
        List<StreamEvent> events = new ArrayList<>();
        decoder.decode(new SseEvent(null, ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"" + choiceExtra
                + "}]}").getBytes(StandardCharsets.UTF_8)), events::add);
        return (StreamEvent.Finished) events.get(events.size() - 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ",\"stop_reason\":\"###\"          | STOP_SEQUENCE | ###",
        ",\"matched_stop\":\"END\"         | STOP_SEQUENCE | END",
        ",\"stop_reason\":151645           | END_TURN      |",
        ",\"stop_reason\":\"</s>\"         | END_TURN      |",
        ",\"stop_reason\":null             | END_TURN      |",
        "                                  | END_TURN      |"})
    void onlyTheRequestsOwnSequencesCount(String extra, StopReason reason, String sequence) {
        StreamEvent.Finished finished = streamed(extra == null ? "" : extra);

        assertThat(finished.reason()).isEqualTo(reason);
        assertThat(finished.stopSequence()).isEqualTo(sequence);
    }

    @Test
    void aBodySaysItToo() {
        CanonicalResponse response = ChatResponseDecoder.decode(("{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Hi\"},\"finish_reason\":\"stop\",\"stop_reason\":\"END\"}]}").getBytes(StandardCharsets.UTF_8),
                ToolNames.NONE, Set.of(), STOPS);

        assertThat(response.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
        assertThat(response.stopSequence()).isEqualTo("END");
    }

    @Test
    void toolCallsAndLengthCutsAreNotStopSequences() {
        CanonicalResponse length = ChatResponseDecoder.decode(("{\"choices\":[{\"message\":{\"content\":\"Hi\"},\"finish_reason\":\"length\","
                + "\"stop_reason\":\"END\"}]}").getBytes(StandardCharsets.UTF_8), ToolNames.NONE, Set.of(), STOPS);

        assertThat(length.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(length.stopSequence()).isNull();
    }
}
