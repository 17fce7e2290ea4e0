package io.llmgw.core.secrets;

import java.util.Map;

/**
 * A store of configuration variables kept out of the environment (AWS Secrets Manager, Azure Key
 * Vault): the port a platform's secret client implements. {@link SecretVariables} decides when to
 * read it; the source only knows how.
 */
public interface SecretSource {
    /**
     * What one read returned.
     *
     * @param variables configuration variables by name (e.g. {@code AZURE_OPENAI_API_KEY})
     * @param version   the store's version label for log lines, or null when it has none
     */
    record Snapshot(Map<String, String> variables, String version) {}

    /**
     * Reads every variable now. A missing, forbidden or malformed store is a {@link SecretException}
     * whose message names the setting, the cause and the fix, never a value.
     */
    Snapshot read();

    /** The store as log lines and messages name it: a secret id, a vault URL. */
    String name();
}
