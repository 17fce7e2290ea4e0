package io.llmgw.keyvault;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.RecordingClassLoader;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A platform that includes this module but names no vault must not pay for the Azure SDK: the
 * entry point, run in a class loader that records every class it defines, loads no Azure (or
 * Reactor) class unless a vault is named.
 */
class NoAzureClassesWithoutAVaultTest {
    @Test
    void withoutKeyVaultUriNoAzureClassIsLoaded() throws Exception {
        try (RecordingClassLoader loader = new RecordingClassLoader()) {
            Function<String, String> env = Map.<String, String>of()::get;
            Object source = loader.loadClass(KeyVault.class.getName()).getMethod("fromEnvironment", Function.class).invoke(null, env);

            assertThat(source).isNull();
            assertThat(loader.defined()).contains(KeyVault.class.getName());
            assertThat(loader.defined()).noneMatch(name -> name.startsWith("com.azure.") || name.startsWith("com.microsoft.")
                    || name.startsWith("reactor."));
        }
    }

    @Test
    void theRecordingSeesAzureClassesWhenAVaultIsNamed() throws Exception {
        // Guards the test above against passing vacuously: the same loader does record the SDK when it is used.
        try (RecordingClassLoader loader = new RecordingClassLoader()) {
            Function<String, String> env = Map.of("KEY_VAULT_URI", "https://" + VaultFixture.HOST + ":1")::get;
            Object source = loader.loadClass(KeyVault.class.getName()).getMethod("fromEnvironment", Function.class).invoke(null, env);

            assertThat(source).isNotNull();
            assertThat(loader.defined()).anyMatch(name -> name.startsWith("com.azure.security.keyvault."));
        }
    }
}
