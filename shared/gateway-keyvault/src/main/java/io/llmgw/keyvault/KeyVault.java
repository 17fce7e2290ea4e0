package io.llmgw.keyvault;

import io.llmgw.core.secrets.SecretSource;
import io.llmgw.core.secrets.SecretVariables;
import java.time.Clock;
import java.util.function.Function;

/**
 * What a platform calls: Key Vault's secrets as configuration variables when the environment names
 * a vault, nothing otherwise. Azure SDK classes are only loaded when a vault is named, so a
 * platform that includes this module but does not use it starts as fast as without it.
 */
public final class KeyVault {
    private KeyVault() {}

    /** The vault the environment names, as a secret source, or null when it names none. */
    public static SecretSource fromEnvironment(Function<String, String> env) {
        KeyVaultSettings settings = KeyVaultSettings.fromEnvironment(env);
        return settings == null ? null : KeyVaultSecrets.connect(settings);
    }

    /**
     * The vault's variables, read now, or null when the environment names no vault.
     *
     * @throws io.llmgw.core.secrets.SecretException when the vault cannot be read (the message names the setting and the fix)
     * @throws io.llmgw.core.config.ConfigException   when a Key Vault setting is malformed
     */
    public static SecretVariables loadFromEnvironment(Function<String, String> env, Clock clock) {
        SecretSource source = fromEnvironment(env);
        if (source == null) {
            return null;
        }
        SecretVariables variables = new SecretVariables(source, clock);
        variables.load();
        return variables;
    }
}
