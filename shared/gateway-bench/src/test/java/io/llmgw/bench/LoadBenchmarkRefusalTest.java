package io.llmgw.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.ChatScript;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A benchmark of limits is only true while no limit refuses: any 429, in the warm-up too, fails
 * the run with its own exit status and a message saying so. Two fake upstreams stand in for the
 * direct target and the gateway; the runs are a fraction of a second at a low rate.
 */
class LoadBenchmarkRefusalTest extends LoadBenchmarkTargets {
    private static final String LIMITED = "{\"error\":{\"message\":\"Rate limit reached for this key\",\"type\":\"rate_limit_error\"}}";

    /** The failure is said on stderr, which {@link #err} keeps. */
    @BeforeEach
    void directAnswers() {
        direct.handler(answer());
    }

    @Test
    void aRunWithoutRefusalsSucceeds() throws Exception {
        gateway.handler(answer());
        assertThat(LoadBenchmark.execute(args("0"))).isEqualTo(LoadBenchmark.OK);
        assertThat(err()).doesNotContain("FAILED");
    }

    @Test
    void refusalsInTheMeasurementFailTheRunSayingWhy() throws Exception {
        gateway.handler(request -> Reply.json(429, LIMITED));
        assertThat(LoadBenchmark.execute(args("0"))).isEqualTo(LoadBenchmark.REFUSED);
        assertThat(err()).contains("[bench] FAILED: requests were refused with HTTP 429 (gateway non-streaming: 20, warm-up included)")
                .contains("raise the limits");
    }

    @Test
    void refusalsDuringTheWarmUpAloneFailTheRunToo() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        Function<RecordedRequest, Reply> ok = answer();
        // the first three requests (all in the warm-up) are refused, every measured one succeeds
        gateway.handler(request -> seen.incrementAndGet() <= 3 ? Reply.json(429, LIMITED) : ok.apply(request));
        assertThat(LoadBenchmark.execute(args("300ms"))).isEqualTo(LoadBenchmark.REFUSED);
        assertThat(err()).contains("gateway non-streaming: 3, warm-up included").contains("non-streaming gateway: 20 ok, 0 errors");
    }

    private String[] args(String warmup) {
        return new String[] {"--direct-url", direct.baseUrl() + "/v1/chat/completions",
                "--gateway-url", gateway.baseUrl() + "/v1/chat/completions",
                "--rate", "100", "--duration", "200ms", "--slice", "50ms", "--warmup", warmup, "--mode", "non-streaming"};
    }

    private static Function<RecordedRequest, Reply> answer() {
        return ChatScript.text("Hello!").usage(20, 2).handler();
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
