package io.llmgw.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** What the stream benchmarks report next to streams per second: SSE bytes and upstream events per second. */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class StreamVolume {
    public long sseBytes;
    public long upstreamEvents;

    @Setup(Level.Iteration)
    public void reset() {
        sseBytes = 0;
        upstreamEvents = 0;
    }

    /** One whole stream was handled. */
    void add(ShapedStream stream) {
        sseBytes += stream.sse().length;
        upstreamEvents += stream.events();
    }
}
