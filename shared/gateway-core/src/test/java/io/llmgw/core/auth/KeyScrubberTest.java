package io.llmgw.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyScrubberTest {
    private static final String GATEWAY_KEY = "sk-gateway-0123456789abcdef";
    private static final String UPSTREAM_KEY = "sk-ant-api03-upstream-key-0123456789";

    @Test
    void aPresentedKeyThatContainsAConfiguredOneIsMaskedWhole() {
        String presented = "prefix-" + GATEWAY_KEY + "-suffix-9876";
        KeyScrubber scrubber = new KeyScrubber(List.of(GATEWAY_KEY, UPSTREAM_KEY)).with(presented);

        String text = "echo " + presented + " and " + GATEWAY_KEY + " and " + UPSTREAM_KEY;
        assertThat(scrubber.scrub(text)).isEqualTo("echo " + Secrets.mask(presented) + " and " + Secrets.mask(GATEWAY_KEY)
                + " and " + Secrets.mask(UPSTREAM_KEY));
        assertThat(new String(scrubber.scrub(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo(scrubber.scrub(text));
    }

    @Test
    void addingAKeyKnownAlreadyOrTooShortChangesNothing() {
        KeyScrubber scrubber = new KeyScrubber(List.of(GATEWAY_KEY));
        assertThat(scrubber.with(GATEWAY_KEY, null, "short")).isSameAs(scrubber);
        assertThat(scrubber.with("another-key-0000")).isNotSameAs(scrubber);
    }

    @Test
    void addingKeysScrubsAsABuiltScrubberDoes() {
        Random random = new Random(3);
        for (int round = 0; round < 500; round++) {
            List<String> configured = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                configured.add(key(random));
            }
            String presented = random.nextBoolean() || configured.isEmpty() ? key(random)
                    : "x" + configured.get(random.nextInt(configured.size())) + "y";  // one that contains a configured key
            List<String> all = new ArrayList<>(configured);
            all.add(presented);
            StringBuilder text = new StringBuilder();
            for (String key : all) {
                text.append("<").append(key).append(">").append(key.substring(2)).append(' ');
            }
            assertThat(new KeyScrubber(configured).with(presented).scrub(text.toString()))
                    .isEqualTo(new KeyScrubber(all).scrub(text.toString()));
        }
    }

    private static String key(Random random) {
        StringBuilder key = new StringBuilder("k-");
        for (int i = 6 + random.nextInt(24); i > 0; i--) {
            key.append((char) ('a' + random.nextInt(3)));  // a small alphabet, so keys overlap
        }
        return key.toString();
    }

    @Test
    void bytesAreScrubbedWhereverAKeyStandsAndLeftAloneWhereNoneDoes() {
        String accented = "clé-secrète-0123456789";  // a key with non-ASCII characters, matched on its UTF-8 bytes
        KeyScrubber scrubber = new KeyScrubber(List.of(GATEWAY_KEY, accented)).with(UPSTREAM_KEY);
        String text = GATEWAY_KEY + "{\"a\":\"" + accented + "\",\"b\":\"" + UPSTREAM_KEY + UPSTREAM_KEY + "\"}" + GATEWAY_KEY;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        assertThat(new String(scrubber.scrub(bytes), StandardCharsets.UTF_8)).isEqualTo(Secrets.mask(GATEWAY_KEY) + "{\"a\":\""
                + Secrets.mask(accented) + "\",\"b\":\"" + Secrets.mask(UPSTREAM_KEY) + Secrets.mask(UPSTREAM_KEY) + "\"}"
                + Secrets.mask(GATEWAY_KEY));

        byte[] clean = "{\"text\":\"sk-gateway-012345678 is not quite a key, nor is cl\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(scrubber.scrub(clean)).isSameAs(clean);
        byte[] invalidUtf8 = {(byte) 0xff, (byte) 0xc3, 's', 'k', '-'};
        assertThat(scrubber.scrub(invalidUtf8)).isSameAs(invalidUtf8);
        byte[] keyAfterInvalidUtf8 = (new String(new char[] {'\u00ff'}) + GATEWAY_KEY).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(scrubber.scrub(keyAfterInvalidUtf8)).isEqualTo(
                (new String(new char[] {'\u00ff'}) + Secrets.mask(GATEWAY_KEY)).getBytes(StandardCharsets.ISO_8859_1));
    }
}
