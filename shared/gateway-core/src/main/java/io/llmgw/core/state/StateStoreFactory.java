package io.llmgw.core.state;

import java.util.Map;
import java.util.Set;

/**
 * Opens one kind of {@link StateStore} from its configuration. Store modules register theirs in
 * {@code META-INF/services/io.llmgw.core.state.StateStoreFactory}; the in-memory store needs none.
 */
public interface StateStoreFactory {
    /** The name {@code state.store} and {@code GATEWAY_STATE_STORE} use, e.g. {@code redis}. */
    String kind();

    /** The option names this store reads under {@code state:}; any other is a configuration error. */
    Set<String> options();

    /**
     * Opens the store, or throws {@link io.llmgw.core.config.ConfigException} naming the option to fix.
     * It need not reach the store yet: an unreachable store is the limits' fail-open or fail-closed
     * decision per request, not a reason to refuse to start.
     */
    StateStore open(Map<String, String> options);
}
