package io.llmgw.keyvault;

import static io.llmgw.azure.identity.AzureCredentials.firstLine;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.identity.CredentialUnavailableException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import io.llmgw.core.secrets.SecretException;
import io.llmgw.core.secrets.SecretSource;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Key Vault as a secret source: every enabled, current secret whose name starts with the
 * prefix becomes the configuration variable {@link KeyVaultSettings#variableFor} names. The list
 * call reads names only; each value is then read with {@code GET /secrets/{name}}. Values are never
 * logged or put into messages.
 */
public final class KeyVaultSecrets implements SecretSource {
    /** Created on first use, like the core's loggers. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(KeyVaultSecrets.class);
    }
    private static final Pattern ERROR_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z]+)\"");

    private final SecretClient client;
    private final KeyVaultSettings settings;
    private final Clock clock;

    public KeyVaultSecrets(SecretClient client, KeyVaultSettings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
    }

    /** The source for {@code settings} with the managed identity (or whatever credential the environment offers). */
    static KeyVaultSecrets connect(KeyVaultSettings settings) {
        return new KeyVaultSecrets(KeyVaultClients.create(settings), settings, Clock.systemUTC());
    }

    @Override
    public String name() {
        return settings.vaultUrl();
    }

    @Override
    public Snapshot read() {
        Map<String, String> secretNames = listSecretNames();
        Map<String, String> variables = new LinkedHashMap<>();
        secretNames.forEach((variable, secretName) -> {
            String value = readValue(secretName);
            if (value != null) {
                variables.put(variable, value);
            }
        });
        if (variables.isEmpty()) {
            Log.LOG.warn("Key Vault {} holds no enabled secret{}; every setting comes from the environment", name(),
                    settings.prefix().isEmpty() ? "" : " named " + settings.prefix() + "…");
        }
        return new Snapshot(variables, null);
    }

    /** Variable name → secret name, for the secrets that are enabled now and carry the prefix. */
    private Map<String, String> listSecretNames() {
        Map<String, String> names = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(clock);
        try {
            for (SecretProperties properties : client.listPropertiesOfSecrets()) {
                String variable = settings.variableFor(properties.getName());
                if (variable == null || properties.isManaged() == Boolean.TRUE) {
                    continue;  // another application's secret, or a certificate's key
                }
                if (!current(properties, now)) {
                    skipped.add(properties.getName());
                    continue;
                }
                names.put(variable, properties.getName());
            }
        } catch (RuntimeException e) {
            throw failure("list the secrets of", e);
        }
        if (!skipped.isEmpty()) {
            Log.LOG.info("Key Vault {}: disabled, expired or not yet valid secrets left out: {}", name(), String.join(", ", skipped));
        }
        return names;
    }

    private static boolean current(SecretProperties properties, OffsetDateTime now) {
        return properties.isEnabled() != Boolean.FALSE
                && (properties.getExpiresOn() == null || properties.getExpiresOn().isAfter(now))
                && (properties.getNotBefore() == null || !properties.getNotBefore().isAfter(now));
    }

    /** The secret's value, or null when it was deleted between the listing and this read. */
    private String readValue(String secretName) {
        try {
            String value = client.getSecret(secretName).getValue();
            return value == null ? "" : value;
        } catch (ResourceNotFoundException e) {
            Log.LOG.warn("Key Vault {}: the secret {} was listed but is gone (404 {}); left out", name(), secretName, codes(e));
            return null;
        } catch (RuntimeException e) {
            throw failure("read the secret '" + secretName + "' of", e);
        }
    }

    /** A message naming the setting, what failed, the service's error code and the fix; never a value. */
    private SecretException failure(String action, RuntimeException e) {
        String vault = name();
        String setting = KeyVaultSettings.URI_VARIABLE;
        if (e instanceof CredentialUnavailableException) {
            return new SecretException(setting + ": no Azure credential to " + action + " " + vault + " (" + firstLine(e) + "); on Azure, "
                    + "give the app a managed identity and, for a user-assigned one, set AZURE_CLIENT_ID to its client id; "
                    + "elsewhere sign in with az login or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET", e);
        }
        if (e instanceof HttpResponseException http && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            String detail = "HTTP " + status + (codes(http).isEmpty() ? "" : " " + codes(http));
            return switch (status) {
                case 401 -> new SecretException(setting + ": " + vault + " refused the identity's token (" + detail + "); check that "
                        + "the vault is in the identity's tenant and that AZURE_CLIENT_ID names the identity assigned to the app", e);
                case 403 -> new SecretException(setting + ": the identity may not " + action + " " + vault + " (" + detail + "); assign it "
                        + "the Key Vault Secrets User role on the vault (Azure RBAC; a vault on access policies needs Get and List "
                        + "on secrets), and allow the app's network if the vault has a firewall", e);
                case 404 -> new SecretException(setting + ": " + vault + " answered 404 to " + action.replace(" of", "")
                        + " (" + detail + "); check that it is the vault's URI", e);
                default -> new SecretException(setting + ": could not " + action + " " + vault + " (" + detail + ")", e);
            };
        }
        if (e instanceof HttpResponseException) {
            // The credential itself failed (no HTTP response from Key Vault): e.g. the managed identity endpoint refused.
            return new SecretException(setting + ": could not get a token to " + action + " " + vault + " (" + firstLine(e)
                    + "); check the app's managed identity and AZURE_CLIENT_ID", e);
        }
        return new SecretException(setting + ": could not " + action + " " + vault + " (" + firstLine(e) + "); check the URI and the "
                + "app's outbound network (a private endpoint needs the privatelink.vaultcore.azure.net DNS zone)", e);
    }

    /** Key Vault's error codes from the response, outer first (e.g. {@code Forbidden/ForbiddenByRbac}). */
    private static String codes(HttpResponseException e) {
        List<String> codes = new ArrayList<>();
        Matcher m = ERROR_CODE.matcher(String.valueOf(e.getMessage()));
        while (m.find()) {
            codes.add(m.group(1));
        }
        return String.join("/", codes);
    }
}
