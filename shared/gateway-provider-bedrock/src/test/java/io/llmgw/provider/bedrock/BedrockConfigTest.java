package io.llmgw.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgw.core.config.AuthMode;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code type: bedrock} in a configuration file and from environment variables, and the messages of its mistakes. */
class BedrockConfigTest {
    private static final String GATEWAY_KEY = "gw-bedrock-config-test-0123456789abcdef0123";
    private static final String API_KEY = "ABSKQmVkcm9ja0FQSUtleS1mYWtlLWZvci10ZXN0cw";

    @TempDir
    Path dir;

    private GatewayConfig yaml(String providerBlock) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                auth: { mode: gateway, keys: ["%s"] }
                providers:
                  aws: { type: bedrock, %s }
                models:
                  claude: { deployments: [ { provider: aws, model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" } ] }
                """.formatted(GATEWAY_KEY, providerBlock));
        return ConfigLoader.load(Map.of("GATEWAY_CONFIG", file.toString()));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> yamlFails(String providerBlock) {
        return assertThatThrownBy(() -> yaml(providerBlock)).isInstanceOf(ConfigException.class);
    }

    private static GatewayConfig env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ConfigLoader.load(env);
    }

    @Test
    void aRegionIsEnoughAndTheEndpointIsTheRegionsRuntime() throws IOException {
        GatewayConfig config = yaml("region: eu-central-1");

        GatewayConfig.Provider aws = config.providers().get("aws");
        BedrockSettings settings = aws.settings(BedrockSettings.class);
        assertThat(settings.region()).isEqualTo("eu-central-1");
        assertThat(settings.endpoint()).isEqualTo(URI.create("https://bedrock-runtime.eu-central-1.amazonaws.com"));
        assertThat(settings.credentialChain()).isTrue();
        assertThat(settings.ambientCredentials()).as("the credential chain is the gateway's own, like a key").isTrue();
        assertThat(settings.view()).containsEntry("region", "eu-central-1")
                .containsEntry("endpoint", "https://bedrock-runtime.eu-central-1.amazonaws.com");
        assertThat(aws.apiKey()).isNull();
    }

    @Test
    void chinaRegionsAreUnderTheirOwnDomain() throws IOException {
        assertThat(yaml("region: cn-north-1").providers().get("aws").settings(BedrockSettings.class).endpoint())
                .isEqualTo(URI.create("https://bedrock-runtime.cn-north-1.amazonaws.com.cn"));
    }

    @Test
    void anApiKeyReplacesTheCredentialChain() throws IOException {
        GatewayConfig config = yaml("region: us-west-2, api_key: " + API_KEY);

        assertThat(config.providers().get("aws").apiKey()).isEqualTo(API_KEY);
        assertThat(config.providers().get("aws").settings(BedrockSettings.class).ambientCredentials()).isFalse();
    }

    @Test
    void anEndpointIsTakenAsItsRootOnly() throws IOException {
        GatewayConfig config = yaml("region: us-east-1, endpoint: \"https://vpce-0abc.bedrock-runtime.us-east-1.vpce.amazonaws.com/\"");

        assertThat(config.providers().get("aws").settings(BedrockSettings.class).endpoint())
                .isEqualTo(URI.create("https://vpce-0abc.bedrock-runtime.us-east-1.vpce.amazonaws.com"));
    }

    @Test
    void aMissingRegionNamesTheKeyAndAnExample() {
        yamlFails("timeout: 30s").hasMessage("providers.aws.region: missing; set the AWS Region whose Bedrock serves the "
                + "models, e.g. us-east-1");
    }

    @ParameterizedTest
    @CsvSource({"us-east", "US-EAST-1", "useast1", "us-east-1/"})
    void aMalformedRegionIsRefused(String region) {
        yamlFails("region: \"" + region + "\"").hasMessageStartingWith("providers.aws.region: '" + region + "' is not an AWS Region name");
    }

    @Test
    void anEndpointWithAPathIsRefusedBecauseTheGatewayAppendsItsOwn() {
        yamlFails("region: us-east-1, endpoint: \"https://proxy.example.com/bedrock\"")
                .hasMessageStartingWith("providers.aws.endpoint: 'https://proxy.example.com/bedrock' has a path")
                .hasMessageContaining("https://bedrock-runtime.us-east-1.amazonaws.com");
    }

    @Test
    void aPlainHttpEndpointOffLoopbackIsRefused() {
        yamlFails("region: us-east-1, endpoint: \"http://bedrock.example.com\"").hasMessageStartingWith("providers.aws.endpoint:");
    }

    @Test
    void keysOfOtherTypesAreRefusedNamingTheAllowedOnes() {
        yamlFails("region: us-east-1, base_url: \"https://bedrock-runtime.us-east-1.amazonaws.com\"")
                .hasMessageStartingWith("providers.aws.base_url: unknown key for type bedrock; allowed here:")
                .hasMessageContaining("endpoint").hasMessageContaining("region");
    }

    @Test
    void bedrockRegionTurnsItOnWithTheCredentialChainWhichNeedsAGatewayKey() {
        assertThatThrownBy(() -> env("BEDROCK_REGION", "us-east-1")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth: upstream keys are configured but no gateway key is");

        GatewayConfig config = env("BEDROCK_REGION", "us-east-1", "PROXY_API_KEY", GATEWAY_KEY);

        GatewayConfig.Provider bedrock = config.providers().get("bedrock");
        assertThat(bedrock.type()).isEqualTo("bedrock");
        assertThat(bedrock.apiKey()).isNull();
        assertThat(bedrock.settings(BedrockSettings.class).region()).isEqualTo("us-east-1");
        assertThat(config.auth().mode()).isEqualTo(AuthMode.GATEWAY);
        assertThat(config.models()).singleElement().satisfies(model -> {
            assertThat(model.name()).isEqualTo("*");
            assertThat(model.deployments()).singleElement().satisfies(d -> assertThat(d.model()).isNull());
        });
    }

    @Test
    void theApiKeyVariableTakesTheRegionFromAwsRegion() {
        GatewayConfig config = env("AWS_BEARER_TOKEN_BEDROCK", API_KEY, "AWS_REGION", "ap-southeast-2", "PROXY_API_KEY", GATEWAY_KEY,
                "BEDROCK_MODEL", "apac.anthropic.claude-sonnet-4-20250514-v1:0");

        GatewayConfig.Provider bedrock = config.providers().get("bedrock");
        assertThat(bedrock.apiKey()).isEqualTo(API_KEY);
        assertThat(bedrock.settings(BedrockSettings.class).region()).isEqualTo("ap-southeast-2");
        assertThat(config.models().get(0).deployments().get(0).model()).isEqualTo("apac.anthropic.claude-sonnet-4-20250514-v1:0");
    }

    @Test
    void bedrockRegionWinsOverAwsRegionAndTheSdkEndpointVariableIsRead() {
        GatewayConfig config = env("BEDROCK_REGION", "eu-west-3", "AWS_REGION", "us-east-1", "PROXY_API_KEY", GATEWAY_KEY,
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:4566");

        BedrockSettings settings = config.providers().get("bedrock").settings(BedrockSettings.class);
        assertThat(settings.region()).isEqualTo("eu-west-3");
        assertThat(settings.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
    }

    @Test
    void awsRegionAloneDoesNotTurnBedrockOn() {
        assertThatThrownBy(() -> env("AWS_REGION", "us-east-1")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("providers: none configured")
                // the message lists Bedrock's own variables only because the module is on the class path
                .hasMessageContaining("BEDROCK_REGION, or AWS_BEARER_TOKEN_BEDROCK + AWS_REGION (Amazon Bedrock)")
                .hasMessageContaining("ANTHROPIC_API_KEY (Anthropic)");
    }

    @Test
    void theApiKeyWithoutAnyRegionSaysWhichVariableToSet() {
        assertThatThrownBy(() -> env("AWS_BEARER_TOKEN_BEDROCK", API_KEY, "PROXY_API_KEY", GATEWAY_KEY)).isInstanceOf(ConfigException.class)
                .hasMessage("AWS_BEARER_TOKEN_BEDROCK: set, but no Region says where Bedrock is; set BEDROCK_REGION (or AWS_REGION), "
                        + "e.g. us-east-1");
    }

    @Test
    void aBadRegionVariableIsNamedInTheMessage() {
        assertThatThrownBy(() -> env("BEDROCK_REGION", "frankfurt", "PROXY_API_KEY", GATEWAY_KEY)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("BEDROCK_REGION: 'frankfurt' is not an AWS Region name");
    }
}
