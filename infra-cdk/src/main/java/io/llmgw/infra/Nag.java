package io.llmgw.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.constructs.IConstruct;

/** cdk-nag suppressions, each with the reason a reviewer reads in the NagReport. */
final class Nag {
    private Nag() {}

    /** Suppresses {@code rule} on {@code construct} and its children, for the findings {@code appliesTo} names (all when empty). */
    static void suppress(IConstruct construct, String rule, String reason, String... appliesTo) {
        NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(rule).reason(reason);
        if (appliesTo.length > 0) {
            suppression.appliesTo(List.of((Object[]) appliesTo));
        }
        NagSuppressions.addResourceSuppressions(construct, List.of(suppression.build()), true);
    }
}
