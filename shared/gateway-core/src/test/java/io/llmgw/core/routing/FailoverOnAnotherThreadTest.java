package io.llmgw.core.routing;

import io.llmgw.core.upstream.OtherThreadTransport;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

/**
 * Every failover case again, with each upstream's answer arriving on another thread than the request's
 * (as an event loop's would): the attempt loop goes on from there, and the request's thread (whose
 * platform cannot let it go) waits for the answer's parts.
 */
class FailoverOnAnotherThreadTest extends FailoverTest {
    private final OtherThreadTransport transport = new OtherThreadTransport();

    @Override
    GatewayHarness harness(String yaml) {
        return new GatewayHarness(yaml, Clock.systemUTC(), transport);
    }

    @AfterEach
    void closeTransport() {
        transport.close();
    }
}
