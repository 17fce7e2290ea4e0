package io.llmgw.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientResponseTest {
    @Test
    void theOverheadHeaderHasThreeDecimalsAsFormatWritesThem() {
        assertThat(ClientResponse.threeDecimals(0)).isEqualTo("0.000");
        assertThat(ClientResponse.threeDecimals(0.0004)).isEqualTo("0.000");
        assertThat(ClientResponse.threeDecimals(0.0506)).isEqualTo("0.051");
        assertThat(ClientResponse.threeDecimals(0.007)).isEqualTo("0.007");
        assertThat(ClientResponse.threeDecimals(12.3)).isEqualTo("12.300");
        assertThat(ClientResponse.threeDecimals(1999.9996)).isEqualTo("2000.000");
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            // whole microseconds plus a little, away from the half-way points where rounding a double may differ
            double millis = random.nextInt(5_000_000) / 1000.0 + 0.0001 + random.nextDouble() * 0.0003;
            assertThat(ClientResponse.threeDecimals(millis)).isEqualTo(String.format(Locale.ROOT, "%.3f", millis));
        }
    }
}
