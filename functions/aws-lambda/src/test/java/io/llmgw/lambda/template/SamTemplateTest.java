package io.llmgw.lambda.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgw.lambda.testing.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The structure of {@code template.yaml}: what must stay true for streaming, SnapStart, least
 * privilege and operations. cfn-lint (run by {@code .ci/run}) checks it against the CloudFormation
 * and SAM schemas; this checks our intent. Short-form intrinsics ({@code !Ref x}) read as
 * {@code {"Ref": x}}, like their long form.
 */
class SamTemplateTest {
    private static Map<String, Object> template;
    private static Map<String, Object> resources;

    @BeforeAll
    static void parse() throws Exception {
        template = new Yaml(new IntrinsicConstructor()).load(Files.readString(Events.repositoryRoot().resolve("template.yaml")));
        resources = map(template, "Resources");
    }

    @Test
    void theStreamingFunctionRunsOurLoopOnTheManagedJava21RuntimeWithSnapStart() throws Exception {
        assertThat(template.get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
        Map<String, Object> globals = map(map(template, "Globals"), "Function");
        assertThat(globals).containsEntry("Runtime", "java21").containsEntry("Architectures", List.of("arm64"))
                .containsEntry("AutoPublishAlias", "live").containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("MemorySize", Map.of("Ref", "MemorySize"));
        Map<String, Object> function = resource("GatewayFunction", "AWS::Serverless::Function");
        Map<String, Object> properties = map(function, "Properties");
        assertThat(properties).containsEntry("Timeout", Map.of("Ref", "Timeout"));
        assertThat(map(map(properties, "Environment"), "Variables")).containsEntry("AWS_LAMBDA_EXEC_WRAPPER", "/var/task/stream-bootstrap");
        assertThat(map(map(template, "Parameters"), "MemorySize")).containsKey("Default");
        assertThat(map(map(template, "Parameters"), "Timeout")).containsEntry("MaxValue", 900);

        // The zip the template deploys is the one the module builds, with the wrapper where the variable points.
        String module = Files.readString(Path.of("pom.xml"));
        assertThat(properties.get("CodeUri")).isEqualTo("functions/aws-lambda/target/gateway-lambda.zip");
        assertThat(module).contains("<finalName>gateway-lambda</finalName>").contains("src/assembly/lambda-zip.xml");
        assertThat(Files.readString(Path.of("src/assembly/lambda-zip.xml")))
                .contains("<source>src/main/lambda/stream-bootstrap</source>").contains("<outputDirectory>/</outputDirectory>")
                .contains("<exclude>org.springframework.boot:*</exclude>");
        handlerClass((String) properties.get("Handler"));
    }

    @Test
    void theFunctionUrlStreamsFromTheAliasWithAChoiceOfAuth() {
        Map<String, Object> url = map(map(resource("GatewayFunction", "AWS::Serverless::Function"), "Properties"), "FunctionUrlConfig");
        assertThat(url).containsEntry("InvokeMode", "RESPONSE_STREAM").containsEntry("AuthType", Map.of("Ref", "UrlAuthType"));
        assertThat(map(map(template, "Parameters"), "UrlAuthType")).containsEntry("AllowedValues", List.of("NONE", "AWS_IAM"))
                .containsEntry("Default", "NONE");
        assertThat(map(map(template, "Outputs"), "FunctionUrl")).containsEntry("Value", Map.of("GetAtt", "GatewayFunctionUrl.FunctionUrl"));
    }

    @Test
    void aPublicUrlGetsBothInvokePermissionsOnTheAlias() {
        // SAM adds them only for a literal AuthType NONE; ours is a parameter, so the template declares them.
        assertThat(map(template, "Conditions").get("PublicUrl")).isEqualTo(Map.of("Equals", List.of(Map.of("Ref", "UrlAuthType"), "NONE")));
        Map<String, Object> url = resource("GatewayUrlPublicInvokeUrl", "AWS::Lambda::Permission");
        assertThat(url).containsEntry("Condition", "PublicUrl");
        assertThat(map(url, "Properties")).containsEntry("Action", "lambda:InvokeFunctionUrl").containsEntry("Principal", "*")
                .containsEntry("FunctionUrlAuthType", "NONE").containsEntry("FunctionName", Map.of("Ref", "GatewayFunction.Alias"));
        Map<String, Object> invoke = resource("GatewayUrlPublicInvoke", "AWS::Lambda::Permission");
        assertThat(invoke).containsEntry("Condition", "PublicUrl");
        assertThat(map(invoke, "Properties")).containsEntry("Action", "lambda:InvokeFunction").containsEntry("Principal", "*")
                .containsEntry("InvokedViaFunctionUrl", true).containsEntry("FunctionName", Map.of("Ref", "GatewayFunction.Alias"));
    }

    @Test
    void theSecretIsCreatedOrNamedAndOnlyItMayBeRead() {
        Object secretArn = Map.of("If", List.of("CreateSecret", Map.of("Ref", "GatewaySecret"), Map.of("Ref", "ExistingSecretArn")));
        Map<String, Object> secret = resource("GatewaySecret", "AWS::SecretsManager::Secret");
        assertThat(secret).containsEntry("Condition", "CreateSecret");
        assertThat(map(map(secret, "Properties"), "GenerateSecretString")).containsEntry("GenerateStringKey", "PROXY_API_KEY");
        assertThat(map(map(map(template, "Globals"), "Function"), "Environment").toString()).contains("GATEWAY_SECRET_ID");
        assertThat(map(map(map(map(template, "Globals"), "Function"), "Environment"), "Variables")).containsEntry("GATEWAY_SECRET_ID", secretArn);
        for (String name : List.of("GatewayFunction", "GatewayHttpApiFunction")) {
            Object policies = map(resource(name, "AWS::Serverless::Function"), "Properties").get("Policies");
            assertThat(policies).as(name).isEqualTo(List.of(Map.of("AWSSecretsManagerGetSecretValuePolicy", Map.of("SecretArn", secretArn))));
        }
    }

    @Test
    void logsAreKeptForAWhileAndErrorsRaiseAnAlarm() {
        Map<String, Object> logs = map(resource("GatewayLogGroup", "AWS::Logs::LogGroup"), "Properties");
        assertThat(logs).containsEntry("LogGroupName", Map.of("Sub", "/aws/lambda/${GatewayFunction}"))
                .containsEntry("RetentionInDays", Map.of("Ref", "LogRetentionDays"));
        Map<String, Object> alarm = map(resource("GatewayErrorAlarm", "AWS::CloudWatch::Alarm"), "Properties");
        assertThat(alarm).containsEntry("Namespace", "AWS/Lambda").containsEntry("MetricName", "Errors");
        assertThat(alarm.get("Dimensions")).isEqualTo(List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", "GatewayFunction"))));
    }

    @Test
    void theOptionalHttpApiUsesTheBufferedHandlerOnItsAlias() throws Exception {
        Map<String, Object> function = resource("GatewayHttpApiFunction", "AWS::Serverless::Function");
        assertThat(function).containsEntry("Condition", "WithHttpApi");
        Map<String, Object> properties = map(function, "Properties");
        assertThat(properties.toString()).doesNotContain("AWS_LAMBDA_EXEC_WRAPPER");
        assertThat(properties.get("CodeUri")).isEqualTo("functions/aws-lambda/target/gateway-lambda-http-api.zip");
        assertThat(Files.readString(Path.of("pom.xml"))).contains("src/assembly/lambda-http-api-zip.xml");
        assertThat(handlerClass((String) properties.get("Handler"))).isEqualTo(io.llmgw.lambda.apigateway.HttpApiHandler.class);
        Map<String, Object> api = map(resource("GatewayHttpApi", "AWS::ApiGatewayV2::Api"), "Properties");
        assertThat(api).containsEntry("ProtocolType", "HTTP").containsEntry("Target", Map.of("Ref", "GatewayHttpApiFunction.Alias"));
        assertThat(map(resource("GatewayHttpApiPermission", "AWS::Lambda::Permission"), "Properties"))
                .containsEntry("FunctionName", Map.of("Ref", "GatewayHttpApiFunction.Alias"))
                .containsEntry("Principal", "apigateway.amazonaws.com");
    }

    @Test
    void bedrocksRegionTurnsItOnAndOnlyThenMayTheFunctionsInvokeModels() {
        Map<String, Object> parameters = map(template, "Parameters");
        assertThat(map(parameters, "BedrockRegion")).containsEntry("Default", "");
        assertThat("us-east-1").matches(map(parameters, "BedrockRegion").get("AllowedPattern").toString());
        assertThat("").matches(map(parameters, "BedrockRegion").get("AllowedPattern").toString());
        assertThat("us east").doesNotMatch(map(parameters, "BedrockRegion").get("AllowedPattern").toString());
        assertThat(map(parameters, "BedrockModel")).containsEntry("Default", "");
        assertThat(map(map(map(map(template, "Globals"), "Function"), "Environment"), "Variables"))
                .containsEntry("BEDROCK_REGION", Map.of("Ref", "BedrockRegion")).containsEntry("BEDROCK_MODEL", Map.of("Ref", "BedrockModel"));
        assertThat(map(template, "Conditions").get("WithBedrock"))
                .isEqualTo(Map.of("Not", List.of(Map.of("Equals", List.of(Map.of("Ref", "BedrockRegion"), "")))));

        Map<String, Object> policy = resource("GatewayBedrockPolicy", "AWS::IAM::Policy");
        assertThat(policy).containsEntry("Condition", "WithBedrock");
        Map<String, Object> properties = map(policy, "Properties");
        assertThat(properties.get("Roles")).isEqualTo(Map.of("If", List.of("WithHttpApi",
                List.of(Map.of("Ref", "GatewayFunctionRole"), Map.of("Ref", "GatewayHttpApiFunctionRole")),
                List.of(Map.of("Ref", "GatewayFunctionRole")))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) map(properties, "PolicyDocument").get("Statement");
        assertThat(statements).singleElement().satisfies(statement -> {
            assertThat(statement).containsEntry("Effect", "Allow")
                    .containsEntry("Action", List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"));
            assertThat(statement.get("Resource").toString()).contains("foundation-model/*").contains(":inference-profile/*")
                    .contains("application-inference-profile/*").doesNotContain("bedrock:*:*:");
        });
    }

    private static Class<?> handlerClass(String handler) throws ClassNotFoundException {
        Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
        assertThat(RequestStreamHandler.class).isAssignableFrom(type);
        return type;
    }

    private static Map<String, Object> resource(String name, String type) {
        Map<String, Object> resource = map(resources, name);
        assertThat(resource).as(name).containsEntry("Type", type);
        return resource;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /** {@code !Name value} → {@code {"Name": value}}, for every CloudFormation short-form intrinsic. */
    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String name = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    Map<String, Object> intrinsic = new LinkedHashMap<>();
                    intrinsic.put(name, value);
                    return intrinsic;
                }
            });
        }
    }
}
