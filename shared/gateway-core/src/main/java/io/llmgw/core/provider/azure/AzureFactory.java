package io.llmgw.core.provider.azure;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ProviderBlock;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.protocol.openai.ResponsesSetting;
import io.llmgw.core.spi.AbstractProviderFactory;
import java.net.URI;
import java.util.List;
import java.util.function.Function;

/**
 * Type {@code azure-openai}. Environment: {@code AZURE_OPENAI_ENDPOINT}, {@code AZURE_OPENAI_API_KEY},
 * {@code AZURE_OPENAI_MODEL} (the deployment every model name goes to) and {@code AZURE_OPENAI_API_VERSION}.
 */
public final class AzureFactory extends AbstractProviderFactory {
    public static final String TYPE = "azure-openai";
    static final String DEFAULT_API_VERSION = "2024-10-21";

    public AzureFactory() {
        super(TYPE, AzureProvider::new, "base_url", "chat_completions_url", "api_version", "responses");
        environmentHints("AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY + AZURE_OPENAI_MODEL (Azure OpenAI)");
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        URI chat = block.url("chat_completions_url");
        URI base = block.url("base_url");
        if (base == null && chat == null) {
            throw new ConfigException(block.source("base_url") + ": missing; set the provider's base URL, e.g. "
                    + "https://my-resource.openai.azure.com");
        }
        String version = block.text("api_version") == null ? DEFAULT_API_VERSION : block.text("api_version");
        if (!version.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?|v1|preview|latest")) {
            throw new ConfigException(block.source("api_version") + ": '" + version + "' is not an Azure OpenAI api-version; "
                    + "write a date such as 2024-10-21 or 2025-04-01-preview, or v1 for the /openai/v1/ API");
        }
        boolean nativeResponses = ResponsesSetting.nativeResponses(block);
        if (nativeResponses && base == null) {
            throw new ConfigException(block.source("base_url") + ": needed with responses: native, so the gateway knows where "
                    + "/responses is; set the provider's base URL");
        }
        if (nativeResponses && !base.getPath().endsWith("/openai/v1") && !servesResponses(version)) {
            throw new ConfigException(block.source("api_version") + ": Azure OpenAI serves the Responses API only on the v1 API "
                    + "or a preview api-version from 2025-03-01-preview on; set api_version to v1 (or e.g. 2025-04-01-preview), "
                    + "or drop responses: native");
        }
        return new AzureSettings(base, chat, version, nativeResponses);
    }

    private static boolean servesResponses(String version) {
        return version.equals("v1") || version.equals("preview") || version.equals("latest")
                || version.endsWith("-preview") && version.compareTo("2025-03-01-preview") >= 0;
    }

    @Override
    public List<EnvironmentProvider> fromEnvironment(Function<String, String> env) {
        ProviderBlock block = ProviderBlock.fromEnvironment("azure", env);
        String endpoint = block.variable("base_url", "AZURE_OPENAI_ENDPOINT");
        String key = block.variable("api_key", "AZURE_OPENAI_API_KEY");
        String version = block.variable("api_version", "AZURE_OPENAI_API_VERSION");
        String model = env.apply("AZURE_OPENAI_MODEL");
        model = model == null || model.isBlank() ? null : model.trim();
        if (endpoint == null && key == null && model == null && version == null) {
            return List.of();
        }
        if (endpoint == null) {
            throw new ConfigException("AZURE_OPENAI_ENDPOINT: not set, but other AZURE_OPENAI_* variables are; set it to "
                    + "your resource URL, e.g. https://my-resource.openai.azure.com");
        }
        if (model == null) {
            throw new ConfigException("AZURE_OPENAI_MODEL: not set; set it to the Azure deployment name that serves requests");
        }
        if (!model.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("AZURE_OPENAI_MODEL: '" + model + "' is not a valid deployment name "
                    + "(letters, digits, '.', '_' and '-', at most 64)");
        }
        return List.of(new EnvironmentProvider(block.typed(TYPE), model, 10, false));
    }
}
