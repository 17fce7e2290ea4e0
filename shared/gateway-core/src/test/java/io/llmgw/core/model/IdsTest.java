package io.llmgw.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void anIdIsThePrefixAndTwentyFourBase62Characters() {
        assertThat(Ids.random("msg_")).matches("msg_[0-9A-Za-z]{24}");
    }

    @Test
    void idsAcrossManyBlocksAreAllDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < Ids.IDS_PER_BLOCK * 40; i++) {
            assertThat(seen.add(Ids.random(""))).isTrue();
        }
    }

    @Test
    void aBlockServesItsIdsOneAfterAnotherAndIsDrawnAgainWhenUsedUp() {
        Ids.forgetDrawn();
        Ids.random("req_");
        assertThat(Ids.leftInBlock()).isEqualTo(Ids.IDS_PER_BLOCK - 1);
        while (Ids.leftInBlock() > 0) {
            Ids.random("req_");
        }
        Ids.random("req_");
        assertThat(Ids.leftInBlock()).isEqualTo(Ids.IDS_PER_BLOCK - 1);
    }

    @Test
    void forgettingTheDrawnBytesMakesTheNextIdDrawAFreshBlock() {
        Ids.random("req_");
        Ids.random("req_");
        assertThat(Ids.leftInBlock()).isPositive();
        Ids.forgetDrawn();
        assertThat(Ids.leftInBlock()).isZero();
        Ids.random("req_");
        assertThat(Ids.leftInBlock()).isEqualTo(Ids.IDS_PER_BLOCK - 1);
    }
}
