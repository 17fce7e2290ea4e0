package io.llmgw.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.pipeline.ModelCall;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.web.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks run one after the other, wrapping filters around the rest; and while the endpoint runs —
 * for a stream, minutes — no check keeps a frame on the request's stack.
 */
class FilterChainTest {
    private final List<String> seen = new ArrayList<>();

    /** A check that records its name and lets the exchange through, as a named class so its frames can be told apart. */
    private final class Marking implements Filter.Check {
        private final String name;

        Marking(String name) {
            this.name = name;
        }

        @Override
        public Exchange check(Exchange exchange) {
            seen.add(name);
            return exchange;
        }
    }

    private final class Wrapping implements Filter {
        @Override
        public void filter(Exchange exchange, Chain chain) {
            seen.add("wrap:before");
            chain.proceed(exchange);
            seen.add("wrap:after");
        }
    }

    @Test
    void checksRunInOrderAndAWrappingFilterSeesTheEndpointFinish() {
        Filter.run(List.of(new Marking("a"), new Wrapping(), new Marking("b"), new Marking("c")), exchange(), e -> seen.add("endpoint"));

        assertThat(seen).containsExactly("a", "wrap:before", "b", "c", "endpoint", "wrap:after");
    }

    @Test
    void aCheckThatAnswersStopsTheChain() {
        Filter.Check answers = exchange -> {
            seen.add("answered");
            return null;
        };

        Filter.run(List.of(new Marking("a"), answers, new Marking("b")), exchange(), e -> seen.add("endpoint"));

        assertThat(seen).containsExactly("a", "answered");
    }

    @Test
    void theExchangeACheckReturnsIsTheOneTheRestSees() {
        Exchange changed = exchange();
        List<Exchange> reached = new ArrayList<>();

        Filter.run(List.of((Filter.Check) e -> changed), exchange(), reached::add);

        assertThat(reached).containsExactly(changed);
    }

    @Test
    void noCheckKeepsAFrameWhileTheEndpointRuns() {
        List<String> stack = new ArrayList<>();

        Filter.run(List.of(new Marking("a"), new Marking("b"), new Wrapping(), new Marking("c")), exchange(),
                e -> StackWalker.getInstance().forEach(frame -> stack.add(frame.getClassName())));

        assertThat(stack).contains(Wrapping.class.getName())
                .doesNotContain(Marking.class.getName(), Filter.Check.class.getName());
    }

    @Test
    void modelChecksRunInOrderWithoutKeepingFrames() {
        ModelCall call = new ModelCall(exchange(), null, "m", null, true, 1, null, null, null);
        List<String> stack = new ArrayList<>();
        ModelFilter.Check first = c -> seen.add("first");
        ModelFilter wrapping = (c, chain) -> {
            seen.add("wrap");
            chain.proceed(c);
        };
        ModelFilter.Check second = c -> seen.add("second");

        ModelFilter.run(List.of(first, wrapping, second), call, c -> {
            seen.add("endpoint");
            StackWalker.getInstance().forEach(frame -> stack.add(frame.getClassName()));
        });

        assertThat(seen).containsExactly("first", "wrap", "second", "endpoint");
        assertThat(stack).doesNotContain(ModelFilter.Check.class.getName());
    }

    private static Exchange exchange() {
        return new Exchange(null, null, Map.of(), null, null, null);
    }
}
