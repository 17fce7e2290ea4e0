package io.llmgw.core.upstream;

/** The listener's control of one exchange whose head has arrived. */
public interface UpstreamExchange {
    /**
     * Delivers no more body until {@link #resume}: back-pressure from a slow client, or a stream that
     * moves to another thread. A transport reading on the caller's thread returns from the call that
     * was reading once the current {@code onBody} returns.
     */
    void pause();

    /**
     * Goes on delivering the body after {@link #pause}. A transport reading on the caller's thread
     * reads on the thread calling this, once the call that paused has returned, and returns when the
     * exchange is over or paused again.
     */
    void resume();

    /**
     * The listener needs no more of the body (a stream that ended at its marker): the connection is
     * kept if the rest of the body ends within a few kilobytes and milliseconds, and closed otherwise.
     */
    void finish();

    /** Closes the connection now: the listener is done with this exchange, and needs nothing more of it. */
    void abort();
}
