package io.llmgw.core.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ChatChunk} reads every chunk as the JSON-tree code it replaced did ({@link TreeReading} is
 * that code's reading, field for field): the chunks of the recorded upstream streams and the fuzz
 * corpus, those chunks with bytes broken, and generated objects whose fields have every type, repeat
 * and nest where a chunk's fields are expected.
 */
class ChatChunkAgainstTreeTest {
    private final ChatChunk decoding = ChatChunk.forDecoding();
    private final ChatChunk relay = ChatChunk.forRelay();

    @Test
    void recordedAndFuzzedChunks() throws IOException, URISyntaxException {
        List<byte[]> chunks = RecordedEvents.all();
        assertThat(chunks).hasSizeGreaterThan(1_000);
        chunks.forEach(this::readsAsTheTreeDoes);
    }

    @Test
    void brokenChunks() throws IOException, URISyntaxException {
        RecordedEvents.forEachBroken(16, 20_000, this::readsAsTheTreeDoes);
    }

    @Test
    void generatedChunks() {
        RecordedEvents.forEachGenerated(42, 30_000, ChunkShapes::chunk, this::readsAsTheTreeDoes);
    }

    @Test
    void deepAndLongChunks() {
        String deep = "[".repeat(1_500) + "]".repeat(1_500);
        readsAsTheTreeDoes(("{\"choices\":[{\"delta\":{\"content\":\"a\",\"x\":" + deep + "}}]}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"x\":" + "{\"a\":".repeat(900) + "1" + "}".repeat(900) + ",\"id\":\"c\"}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"choices\":[{\"delta\":{\"content\":\"" + "é".repeat(400_000) + "\"}}]}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"usage\":{\"prompt_tokens\":" + "9".repeat(1_200) + "}}").getBytes(StandardCharsets.UTF_8));
        readsAsTheTreeDoes(("{\"usage\":{\"prompt_tokens\":" + "9".repeat(900) + "}}").getBytes(StandardCharsets.UTF_8));
    }

    private void readsAsTheTreeDoes(byte[] chunk) {
        FirstEventAgainstTreeTest.answersAsTheTreeDoes(chunk);  // the stream's first-event check reads it alike too
        String shown = RecordedEvents.shown(chunk);
        JsonNode tree = Json.parseOrNull(chunk);
        ObjectNode object = tree instanceof ObjectNode o ? o : null;
        assertThat(decoding.read(chunk)).as("a JSON object: %s (%s)", shown, HexFormat.of().formatHex(chunk, 0, Math.min(40, chunk.length)))
                .isEqualTo(object != null);
        assertThat(relay.read(chunk)).isEqualTo(object != null);
        if (object != null) {
            assertThat(TreeReading.decoding(decoding)).as("decoding %s", shown).isEqualTo(TreeReading.decoding(object));
            assertThat(TreeReading.relay(relay)).as("relaying %s", shown).isEqualTo(TreeReading.relay(object, chunk));
        }
    }
}
