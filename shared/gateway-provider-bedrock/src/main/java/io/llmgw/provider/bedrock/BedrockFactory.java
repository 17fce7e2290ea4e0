package io.llmgw.provider.bedrock;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ProviderBlock;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.spi.AbstractProviderFactory;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Type {@code bedrock}: Amazon Bedrock's Converse API. Settings: {@code region} (required), {@code endpoint}
 * (optional), and {@code api_key} for a Bedrock API key — without one, requests are signed with SigV4 and the
 * AWS default credential chain (the Lambda or ECS task role, environment variables, a profile). Environment:
 * {@code BEDROCK_REGION}, or {@code AWS_REGION} when {@code AWS_BEARER_TOKEN_BEDROCK} (the API key, as AWS's
 * tools name it) is set; {@code BEDROCK_MODEL} and {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME} optional.
 */
public final class BedrockFactory extends AbstractProviderFactory {
    public static final String TYPE = "bedrock";
    /** us-east-1, eu-central-2, ap-southeast-5, us-gov-west-1, cn-northwest-1, … */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    public BedrockFactory() {
        super(TYPE, BedrockProvider::new, "region", "endpoint");
        environmentHints("BEDROCK_REGION, or AWS_BEARER_TOKEN_BEDROCK + AWS_REGION (Amazon Bedrock)");
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        String region = block.text("region");
        if (region == null) {
            throw new ConfigException(block.source("region") + ": missing; set the AWS Region whose Bedrock serves the models, "
                    + "e.g. us-east-1");
        }
        if (!REGION.matcher(region).matches()) {
            throw new ConfigException(block.source("region") + ": '" + region + "' is not an AWS Region name; write one such as "
                    + "us-east-1 or eu-central-1");
        }
        URI endpoint = block.url("endpoint");
        if (endpoint != null && !(endpoint.getRawPath().isEmpty() || endpoint.getRawPath().equals("/"))) {
            throw new ConfigException(block.source("endpoint") + ": '" + endpoint + "' has a path, but the gateway appends "
                    + "/model/{model}/converse itself; write only the scheme and host, e.g. https://bedrock-runtime." + region
                    + ".amazonaws.com");
        }
        URI root = endpoint == null ? BedrockSettings.defaultEndpoint(region)
                : URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority());
        return new BedrockSettings(region, root, block.text("api_key") == null);
    }

    /**
     * {@code BEDROCK_REGION} turns Bedrock on (signed with the credential chain unless {@code AWS_BEARER_TOKEN_BEDROCK}
     * is set too). {@code AWS_REGION} alone does not — every Lambda function and most AWS shells have it — but
     * {@code AWS_BEARER_TOKEN_BEDROCK} with {@code AWS_REGION} does, as in AWS's own tools.
     */
    @Override
    public List<EnvironmentProvider> fromEnvironment(Function<String, String> env) {
        ProviderBlock block = ProviderBlock.fromEnvironment("bedrock", env);
        String key = block.variable("api_key", "AWS_BEARER_TOKEN_BEDROCK");
        String region = block.variable("region", "BEDROCK_REGION");
        if (region == null && key == null) {
            return List.of();
        }
        if (region == null && block.variable("region", "AWS_REGION") == null) {
            throw new ConfigException("AWS_BEARER_TOKEN_BEDROCK: set, but no Region says where Bedrock is; set BEDROCK_REGION "
                    + "(or AWS_REGION), e.g. us-east-1");
        }
        block.variable("endpoint", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
        String model = env.apply("BEDROCK_MODEL");
        return List.of(new EnvironmentProvider(block.typed(TYPE, region != null ? "BEDROCK_REGION" : "AWS_BEARER_TOKEN_BEDROCK"),
                model == null || model.isBlank() ? null : model.trim(), 60, false));
    }
}
