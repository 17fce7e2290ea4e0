package io.llmgw.lambda.snapstart;

import io.llmgw.core.model.Ids;

/**
 * After a restore, before anything else: the random bytes {@link Ids} drew before the snapshot
 * (priming's requests take ids) are dropped, or every instance restored from the snapshot would
 * hand out the same next ids — the same {@code resp_…} id for different stored responses.
 */
public final class FreshIds implements SnapStartHooks.Hook {
    @Override
    public void afterRestore() {
        Ids.forgetDrawn();
    }
}
