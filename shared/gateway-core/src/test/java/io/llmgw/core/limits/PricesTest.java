package io.llmgw.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.AccessConfig.Price;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.model.Usage;
import io.llmgw.core.spi.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which price applies, and what a usage report costs, by hand. */
class PricesTest {
    @Test
    void builtInPricesMatchTheLongestPrefixAtANamePart() {
        assertThat(Prices.builtIn("gpt-4o-2024-08-06").inputPerMtok()).isEqualTo(2.5);
        assertThat(Prices.builtIn("gpt-4o-mini-2024-07-18").inputPerMtok()).isEqualTo(0.15);
        assertThat(Prices.builtIn("claude-sonnet-4-5-20250929").outputPerMtok()).isEqualTo(15);
        assertThat(Prices.builtIn("claude-opus-4-5-20251101").outputPerMtok()).isEqualTo(25);
        assertThat(Prices.builtIn("us.anthropic.claude-haiku-4-5-20251001-v1:0").inputPerMtok()).isEqualTo(1);
        assertThat(Prices.builtIn("gpt-4oz")).isNull();
        assertThat(Prices.builtIn("GPT-4o").inputPerMtok()).as("the whole name is a part").isEqualTo(2.5);
        assertThat(Prices.builtIn("gpt-4o-mini").inputPerMtok()).isEqualTo(0.15);
        assertThat(Prices.builtIn("gpt-4o-minix").inputPerMtok()).as("back to the longest part that matches").isEqualTo(2.5);
        assertThat(Prices.builtIn("")).isNull();
        assertThat(Prices.builtIn("llama3.1")).isNull();
    }

    @Test
    void configurationWinsThenTheDeploymentsCostThenTheTable() {
        Deployment priced = new Deployment(null, "gpt-4o", null, null, 1, null, new GatewayConfig.Cost(1, 2), null, "p/gpt-4o");
        Deployment plain = new Deployment(null, "gpt-4o", null, null, 1, null, null, null, "p/gpt-4o");
        Prices prices = new Prices(Map.of("house-model", new Price(9, 9, 9, 9)));
        assertThat(prices.find("house-model", priced, null).inputPerMtok()).isEqualTo(9);
        assertThat(prices.find("anything", priced, null).outputPerMtok()).isEqualTo(2);
        assertThat(prices.find("anything", plain, "gpt-4o-2024-08-06").outputPerMtok()).isEqualTo(10);
        assertThat(prices.find("anything", null, "some-local-model")).isNull();
    }

    @Test
    void aCostByHand() {
        // 10,000 prompt tokens of which 6,000 read from the cache and 1,000 written to it, 500 output (200 of them reasoning)
        Usage usage = new Usage(10_000, 500, 6_000, 1_000, 200);
        Price sonnet = Prices.builtIn("claude-sonnet-4-5");
        // 3,000 x $3 + 6,000 x $0.30 + 1,000 x $3.75 + 500 x $15, per million
        double expected = (3_000 * 3 + 6_000 * 0.30 + 1_000 * 3.75 + 500 * 15) / 1_000_000.0;
        assertThat(Prices.cost(sonnet, usage)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(expected).isCloseTo(0.02205, org.assertj.core.data.Offset.offset(1e-12));
    }
}
