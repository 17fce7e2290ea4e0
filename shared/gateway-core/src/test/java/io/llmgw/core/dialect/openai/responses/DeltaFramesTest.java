package io.llmgw.core.dialect.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Delta frames built as bytes parse to exactly the event a JSON tree would have given. */
class DeltaFramesTest {
    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "quote \" backslash \\ slash /", "line\nbreak\ttab\r\u0001\u001f", "é ✓ 😀",
        "\uD83D lone high", "lone low \uDE00", "</script>"})
    void framesParseToTheEvent(String delta) throws IOException {
        DeltaFrames frames = new DeltaFrames("response.output_text.delta", "msg_1", 3, "content_index", true);

        for (int sequence : new int[] {0, 7, 10, 999, 123456}) {
            String frame = new String(frames.frame(sequence, delta), StandardCharsets.UTF_8);

            assertThat(frame).startsWith("event: response.output_text.delta\ndata: {").endsWith("}\n\n");
            JsonNode event = Json.parse(frame.substring(frame.indexOf("data: ") + 6).getBytes(StandardCharsets.UTF_8));
            assertThat(Json.string(event)).isEqualTo("{\"type\":\"response.output_text.delta\",\"sequence_number\":" + sequence
                    + ",\"item_id\":\"msg_1\",\"output_index\":3,\"content_index\":0,\"delta\":"
                    + Json.string(Json.NODES.textNode(delta)) + ",\"logprobs\":[]}");
        }
    }
}
