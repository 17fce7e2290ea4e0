package io.llmgw.core.stream;

import java.io.IOException;

/** An upstream SSE line or event exceeded the per-event limit; the stream cannot continue. */
public final class SseTooLargeException extends IOException {
    public SseTooLargeException(int limit) {
        super("upstream SSE event exceeds " + limit + " bytes");
    }
}
