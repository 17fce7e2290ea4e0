package io.llmgw.core.dialect.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.dialect.RequestedModel;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.stream.SseEvent;
import io.llmgw.core.telemetry.RequestContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A Responses stream that opens with an {@code error} event is a plain HTTP error, whether its name or its data says so. */
class ResponsesFirstEventTest {
    private static final String RATE_LIMITED = "{\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"Slow down\"}";
    private static final String CREATED = "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\"}}";

    private final RequestContext ctx = new RequestContext("req_test", 0);
    private final ResponsesPassthroughStream stream = new ResponsesPassthroughStream(new RequestedModel("gpt-5", ctx), ctx);

    private GatewayError first(String name, String data) {
        return stream.errorBeforeStart(new SseEvent(name, data.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anErrorEventFirstIsTheUpstreamsError() {
        for (String name : new String[] {"error", null}) {
            GatewayError error = first(name, RATE_LIMITED);
            assertThat(error).as("event name %s", name).isNotNull();
            assertThat(error.message()).isEqualTo("Slow down");
            assertThat(error.code()).isEqualTo("rate_limit_exceeded");
        }
    }

    @Test
    void contentFirstStartsTheStream() {
        assertThat(first("response.created", CREATED)).isNull();
        assertThat(first(null, CREATED)).isNull();
        assertThat(first("response.created", RATE_LIMITED)).as("the event's name wins over its data's type").isNull();
    }

    @Test
    void aFirstEventThatIsNotAnObjectIsMalformed() {
        assertThat(first("error", "{\"type\":\"error\"").code()).isEqualTo("upstream_malformed_event");
        assertThat(first(null, "[]").code()).isEqualTo("upstream_malformed_event");
    }
}
