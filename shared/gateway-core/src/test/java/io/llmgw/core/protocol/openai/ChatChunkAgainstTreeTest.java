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
import java.util.SplittableRandom;
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
        SplittableRandom random = new SplittableRandom(16);
        List<byte[]> chunks = RecordedEvents.all().stream().filter(chunk -> chunk.length < 4_000).toList();
        for (int n = 0; n < 20_000; n++) {
            byte[] chunk = RecordedEvents.broken(random, chunks.get(random.nextInt(chunks.size())));
            readsAsTheTreeDoes(chunk);
        }
    }

    @Test
    void generatedChunks() {
        SplittableRandom random = new SplittableRandom(42);
        for (int n = 0; n < 30_000; n++) {
            readsAsTheTreeDoes(ChunkShapes.chunk(random).getBytes(StandardCharsets.UTF_8));
        }
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
        String input = new String(chunk, StandardCharsets.UTF_8);
        String shown = input.length() > 300 ? input.substring(0, 300) + "…" : input;
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
