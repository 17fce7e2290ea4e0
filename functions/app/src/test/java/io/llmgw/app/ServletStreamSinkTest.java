package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.http.Headers;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The servlet side of an answer (the AWS Lambda HTTP API package): the container there sends the
 * response when the servlet returns, so a stream never detaches from the request's thread; its end
 * closes the output at once, and a failed stream keeps what was written (its error event).
 */
class ServletStreamSinkTest {
    @Test
    void aStreamStaysOnTheRequestThreadAndItsEndClosesTheOutput() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        ServletStreamSink sink = new ServletStreamSink(response);
        sink.start(200, Headers.of("content-type", "text/event-stream", "x-request-id", "req_1"));

        assertThat(sink.detach()).isFalse();
        sink.write("data: one\n\n".getBytes());
        sink.flush();
        sink.complete();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("text/event-stream");
        assertThat(response.getHeader("x-request-id")).isEqualTo("req_1");
        assertThat(response.getContentAsString()).isEqualTo("data: one\n\n");
        assertThat(response.isCommitted()).isTrue();
    }

    @Test
    void aFailedStreamKeepsWhatWasWritten() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        ServletStreamSink sink = new ServletStreamSink(response);
        sink.start(200, Headers.of("content-type", "text/event-stream"));
        sink.write("data: {\"error\":{}}\n\n".getBytes());

        sink.fail(new java.io.IOException("upstream lost"));

        assertThat(response.getContentAsString()).isEqualTo("data: {\"error\":{}}\n\n");
    }

    @Test
    void aWholeAnswerCarriesItsLength() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        ServletStreamSink sink = new ServletStreamSink(response);
        sink.start(201, Headers.of("content-type", "application/json", "content-length", "2"));
        sink.write("{}".getBytes());
        sink.complete();

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getContentLengthLong()).isEqualTo(2);
        assertThat(response.getContentAsString()).isEqualTo("{}");
    }
}
