package io.llmgw.core.upstream;

import io.llmgw.core.http.Headers;



import java.io.InputStream;

/**
 * An upstream that answers inside this process instead of over a socket (the {@code mock}
 * provider). {@link UpstreamClient} hands it the requests whose URI has its scheme and treats the
 * answer like a network one: the request timeout closes its body, and so does the caller when it
 * is done or the client went away.
 */
@FunctionalInterface
public interface InProcessUpstream {
    Answer answer(UpstreamRequest request);

    /** @param body read like a network body: a read may wait, and closing the stream must end that wait */
    record Answer(int status, Headers headers, InputStream body) {}
}
