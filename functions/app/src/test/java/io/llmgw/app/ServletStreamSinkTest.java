package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.http.Headers;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The servlet side of a stream relayed on a thread of its own: detaching puts the request in async
 * mode, with no timeout of its own, so the servlet may return while the stream goes on; the gateway's
 * complete (or fail) ends the async request once. A container that does not finish async responses
 * (the Lambda container sends the response when the servlet returns), or a request without async
 * support, keeps the stream on the request's thread.
 */
class ServletStreamSinkTest {
    /** What Jetty's watch says: an async response is finished once completed from another thread. */
    private static final ConnectionWatch JETTY = new ConnectionWatch() {
        @Override
        public boolean finishesAsync() {
            return true;
        }
    };

    @Test
    void detachingStartsAsyncModeAndTheEndCompletesIt() throws Exception {
        MockHttpServletRequest request = request(true);
        MockHttpServletResponse response = new MockHttpServletResponse();
        ServletStreamSink sink = started(request, response);

        assertThat(sink.detach()).isTrue();
        assertThat(sink.detached()).isTrue();
        assertThat(request.isAsyncStarted()).isTrue();
        assertThat(request.getAsyncContext().getTimeout()).isZero();

        sink.write("data: one\n\n".getBytes());
        sink.complete();
        assertThat(request.isAsyncStarted()).isFalse();
        assertThat(response.getContentAsString()).isEqualTo("data: one\n\n");
        sink.fail(new IllegalStateException("after the end"));  // a second end does nothing
    }

    @Test
    void aFailedStreamEndsTheAsyncRequestToo() throws Exception {
        MockHttpServletRequest request = request(true);
        ServletStreamSink sink = started(request, new MockHttpServletResponse());
        sink.detach();

        sink.fail(new java.io.IOException("upstream lost"));

        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void withoutAsyncSupportTheStreamStaysOnTheRequestThread() throws Exception {
        MockHttpServletRequest request = request(false);
        ServletStreamSink sink = started(request, new MockHttpServletResponse());

        assertThat(sink.detach()).isFalse();
        assertThat(sink.detached()).isFalse();
        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void aContainerThatDoesNotFinishAsyncResponsesKeepsTheStreamOnTheRequestThread() throws Exception {
        MockHttpServletRequest request = request(true);
        ServletStreamSink sink = new ServletStreamSink(request, new MockHttpServletResponse(), ConnectionWatch.NONE);
        sink.start(200, Headers.of("content-type", "text/event-stream"));

        assertThat(sink.detach()).isFalse();
        assertThat(request.isAsyncStarted()).isFalse();
    }

    private static MockHttpServletRequest request(boolean asyncSupported) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/chat/completions");
        request.setAsyncSupported(asyncSupported);
        return request;
    }

    /** A sink whose stream has started, as it has when the gateway asks it to detach. */
    private static ServletStreamSink started(MockHttpServletRequest request, MockHttpServletResponse response) throws Exception {
        ServletStreamSink sink = new ServletStreamSink(request, response, JETTY);
        sink.start(200, Headers.of("content-type", "text/event-stream"));
        return sink;
    }
}
