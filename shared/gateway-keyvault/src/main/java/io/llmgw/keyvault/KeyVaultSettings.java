package io.llmgw.keyvault;

import io.llmgw.core.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where the gateway's secrets live in Key Vault, from the environment: {@code KEY_VAULT_URI} (or
 * {@code AZURE_KEY_VAULT_URL}, the name Azure's own samples use) and the optional
 * {@code KEY_VAULT_SECRET_PREFIX}. Imports nothing from the Azure SDK, so a platform can ask
 * whether Key Vault is configured without loading it.
 *
 * @param vaultUrl the vault's https URL, without a trailing slash
 * @param prefix   only secrets whose names start with it are read ("" for all)
 */
public record KeyVaultSettings(String vaultUrl, String prefix) {
    public static final String URI_VARIABLE = "KEY_VAULT_URI";
    public static final String URL_VARIABLE = "AZURE_KEY_VAULT_URL";
    public static final String PREFIX_VARIABLE = "KEY_VAULT_SECRET_PREFIX";
    /** Key Vault's own rule for secret names: letters, digits and dashes. */
    private static final Pattern NAME_CHARACTERS = Pattern.compile("[0-9A-Za-z-]*");

    /** The settings, or null when neither {@code KEY_VAULT_URI} nor {@code AZURE_KEY_VAULT_URL} (nor a prefix) is set. */
    public static KeyVaultSettings fromEnvironment(Function<String, String> env) {
        String variable = URI_VARIABLE;
        String value = env.apply(URI_VARIABLE);
        if (value == null || value.isBlank()) {
            variable = URL_VARIABLE;
            value = env.apply(URL_VARIABLE);
        }
        String prefix = env.apply(PREFIX_VARIABLE);
        if (value == null || value.isBlank()) {
            if (prefix != null && !prefix.isBlank()) {
                throw new ConfigException(PREFIX_VARIABLE + ": set, but no vault is named; set " + URI_VARIABLE
                        + " to the vault's URI, e.g. https://my-vault.vault.azure.net/ (or unset " + PREFIX_VARIABLE + ")");
            }
            return null;
        }
        prefix = prefix == null ? "" : prefix.trim();
        if (!NAME_CHARACTERS.matcher(prefix).matches()) {
            throw new ConfigException(PREFIX_VARIABLE + ": '" + prefix + "' cannot start a Key Vault secret name, which holds only "
                    + "letters, digits and dashes; use e.g. llm-gateway-");
        }
        return new KeyVaultSettings(vaultUrl(variable, value.trim()), prefix);
    }

    private static String vaultUrl(String variable, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(variable + ": '" + value + "' is not a URL; set the vault's URI, e.g. https://my-vault.vault.azure.net/");
        }
        if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
            throw new ConfigException(variable + ": '" + value + "' is not an https URL; set the vault's URI, "
                    + "e.g. https://my-vault.vault.azure.net/ (the vault's Overview page calls it Vault URI)");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new ConfigException(variable + ": '" + value + "' has a path; set the vault's URI alone, e.g. "
                    + "https://my-vault.vault.azure.net/ (a secret's own URL is not the vault's)");
        }
        return "https://" + uri.getRawAuthority();
    }

    /**
     * The configuration variable a secret supplies, or null when its name does not start with the
     * prefix: the prefix is dropped, dashes become underscores and letters upper case (secret names
     * cannot hold underscores; Key Vault compares them case-insensitively), so
     * {@code llm-gateway-azure-openai-api-key} supplies {@code AZURE_OPENAI_API_KEY}.
     */
    public String variableFor(String secretName) {
        if (!secretName.regionMatches(true, 0, prefix, 0, prefix.length()) || secretName.length() == prefix.length()) {
            return null;
        }
        return secretName.substring(prefix.length()).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The secret name that supplies {@code variable}: the inverse of {@link #variableFor}. */
    public String secretNameFor(String variable) {
        return prefix + variable.replace('_', '-');
    }
}
