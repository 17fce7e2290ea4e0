package io.llmgw.core.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponsesEventHeadTest {
    private final ResponsesEventHead head = new ResponsesEventHead();

    @Test
    void readsTheTopLevelOfADeltaEvent() {
        assertThat(read("{\"type\":\"response.output_text.delta\",\"sequence_number\":7,\"item_id\":\"msg_1\","
                + "\"delta\":{\"type\":\"x\",\"sequence_number\":99,\"response\":{}}}")).isTrue();
        assertThat(head.type()).isEqualTo("response.output_text.delta");
        assertThat(head.sequenceNumber(-1)).isEqualTo(7);
        assertThat(head.hasResponseObject()).as("nested fields are not the event's").isFalse();
        assertThat(head.hasItemObject()).isFalse();
    }

    @Test
    void tellsTheEventsThatCarryAResponseOrAnItem() {
        assertThat(read("{\"type\":\"response.created\",\"response\":{\"model\":\"m\"}}")).isTrue();
        assertThat(head.hasResponseObject()).isTrue();
        assertThat(read("{\"type\":\"response.output_item.done\",\"item\":{\"id\":\"fc_1\"}}")).isTrue();
        assertThat(head.hasItemObject()).isTrue();
        assertThat(head.hasResponseObject()).as("nothing left from the last event").isFalse();
        assertThat(read("{\"response\":\"not an object\",\"item\":[{}]}")).isTrue();
        assertThat(head.hasResponseObject()).isFalse();
        assertThat(head.hasItemObject()).isFalse();
    }

    @Test
    void theLastOfDuplicateKeysCounts() {
        assertThat(read("{\"type\":\"a\",\"response\":{},\"type\":5,\"response\":null,\"sequence_number\":1,\"sequence_number\":\"3\"}"))
                .isTrue();
        assertThat(head.type()).isNull();
        assertThat(head.hasResponseObject()).isFalse();
        assertThat(head.sequenceNumber(-1)).isEqualTo(3);
    }

    @Test
    void sequenceNumbersReadAsATreeReadsThem() {
        assertThat(sequence("{}", 5)).isEqualTo(5);
        assertThat(sequence("{\"sequence_number\":null}", 5)).isEqualTo(5);
        assertThat(sequence("{\"sequence_number\":{}}", 5)).isEqualTo(5);
        assertThat(sequence("{\"sequence_number\":\"abc\"}", 5)).isEqualTo(5);
        assertThat(sequence("{\"sequence_number\":\" 12 \"}", 5)).isEqualTo(12);
        assertThat(sequence("{\"sequence_number\":2.9}", 5)).isEqualTo(2);
        assertThat(sequence("{\"sequence_number\":1e400}", 5)).isEqualTo(Integer.MAX_VALUE);
        assertThat(sequence("{\"sequence_number\":4294967303}", 5)).isEqualTo(7);  // wrapped, as intValue() does
        assertThat(sequence("{\"sequence_number\":true}", 5)).isEqualTo(1);
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        assertThat(read("[]")).isFalse();
        assertThat(read("\"response.output_text.delta\"")).isFalse();
        assertThat(read("{\"type\":\"a\"} {}")).isFalse();
        assertThat(read("{\"type\":\"a\",\"delta\":\"\\q\"}")).as("a broken escape in a skipped string").isFalse();
        assertThat(read("{\"type\":\"a\",\"delta\":[1,]}")).isFalse();
        assertThat(read("{\"type\":\"a\"")).isFalse();
        assertThat(head.type()).as("nothing kept of a refused event").isNull();
        byte[] badUtf8 = {'{', '"', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertThat(head.read(badUtf8)).isFalse();
    }

    private boolean read(String json) {
        return head.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private int sequence(String json, int fallback) {
        assertThat(read(json)).isTrue();
        return head.sequenceNumber(fallback);
    }
}
