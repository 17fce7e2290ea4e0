package io.llmgw.core.dialect.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventFramesTest {
    @Test
    void aStringOfCharactersThatEachNeedAnEscapeFitsItsFrame() throws IOException {
        // Found by fuzzing: an escaped control character or lone surrogate takes six bytes, not the three a char was given.
        String text = "\u0001\"\ud800".repeat(50) + "日".repeat(150) + "é😀\n".repeat(10);

        byte[] frame = new EventFrames().begin("content_block_delta").raw(",\"text\":").string(text).end();

        String written = new String(frame, StandardCharsets.UTF_8);
        assertThat(written).startsWith("event: content_block_delta\ndata: ").endsWith("}\n\n");
        String json = written.substring(written.indexOf("data: ") + 6).trim();
        assertThat(new ObjectMapper().readTree(json).get("text").textValue()).isEqualTo(text);
    }
}
