package io.llmgw.core.state;

/** The contract against the one-process store: every "client" is the same instance, as in one process. */
class InMemoryStateStoreTest extends StateStoreContract {
    private final InMemoryStateStore store = new InMemoryStateStore();

    @Override
    protected StateStore openClient() {
        return store;
    }
}
