package io.llmgw.app;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 NIO protocol with a 2 KB response buffer instead of 8 KB. Every connection
 * being served holds that buffer twice (bytes, and the same number of chars for a writer the
 * gateway never uses), for as long as a stream lasts. The gateway flushes each SSE event as it is
 * written and sets {@code Content-Length} on whole answers, so the buffer only ever gathers one
 * event; larger writes go to the socket directly. Tomcat sizes it from the protocol's
 * "desired buffer size", which its HTTP/1.1 protocols leave unset: hence the subclass.
 */
public class LeanHttp11NioProtocol extends Http11NioProtocol {
    static final int RESPONSE_BUFFER_BYTES = 2048;

    @Override
    public int getDesiredBufferSize() {
        return RESPONSE_BUFFER_BYTES;
    }
}
