package io.llmgw.infra;

import static io.llmgw.infra.TestApps.actions;
import static io.llmgw.infra.TestApps.json;
import static io.llmgw.infra.TestApps.overrides;
import static io.llmgw.infra.TestApps.statements;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/** The container stack: ECS Express Mode by default, App Runner by context. */
class ContainerStackTest {
    private static final String STACK = "LlmGatewayContainer";
    private static App app;
    private static Template express;

    @BeforeAll
    static void synth() {
        app = TestApps.app(Map.of());
        express = TestApps.template(app, STACK);
    }

    private static String only(Template t, String type) {
        Map<String, Map<String, Object>> found = t.findResources(type);
        assertThat(found).hasSize(1);
        return found.keySet().iterator().next();
    }

    private static Map<String, Object> secretKey(String secret, String key) {
        return Map.of("Fn::Join", List.of("", List.of(Map.of("Ref", secret), ":" + key + "::")));
    }

    @Test
    void expressModeRunsTheImageWithHealthCheckScalingAndTheSecretInjected() {
        String secret = only(express, "AWS::SecretsManager::Secret");
        express.hasResourceProperties("AWS::ECS::ExpressGatewayService", Map.of(
                "ServiceName", "llm-gateway",
                "Cpu", "512",
                "Memory", "1024",
                "HealthCheckPath", "/health/ready",
                "ScalingTarget", Map.of("MinTaskCount", 1, "MaxTaskCount", 10, "AutoScalingMetric", "AVERAGE_CPU",
                        "AutoScalingTargetValue", 60),
                "PrimaryContainer", Match.objectLike(Map.of(
                        "ContainerPort", 8080,
                        "Image", Map.of("Fn::Sub", Match.stringLikeRegexp(".*container-assets.*:[0-9a-f]{64}")),
                        "Environment", List.of(Map.of("Name", "PORT", "Value", "8080")),
                        "Secrets", List.of(
                                Map.of("Name", "PROXY_API_KEY", "ValueFrom", secretKey(secret, "PROXY_API_KEY")),
                                Map.of("Name", "AZURE_OPENAI_API_KEY", "ValueFrom", secretKey(secret, "AZURE_OPENAI_API_KEY"))),
                        "AwsLogsConfiguration", Map.of("LogGroup", Map.of("Ref", only(express, "AWS::Logs::LogGroup")),
                                "LogStreamPrefix", "gateway")))));
        express.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
    }

    @Test
    void theSecretsKeysAllExistInTheCreatedSecret() {
        express.hasResourceProperties("AWS::SecretsManager::Secret", Map.of("GenerateSecretString", Map.of(
                "SecretStringTemplate", "{\"AZURE_OPENAI_API_KEY\":\"\"}", "GenerateStringKey", "PROXY_API_KEY",
                "PasswordLength", 48, "ExcludePunctuation", true)));
    }

    @Test
    void onlyTheExecutionRoleReadsTheSecretAndTheTaskRoleHasNothingWithoutTableOrBedrock() {
        String secret = only(express, "AWS::SecretsManager::Secret");
        List<Map<String, Object>> secretReads = statements(express).stream()
                .filter(s -> actions(s).contains("secretsmanager:GetSecretValue")).toList();
        assertThat(secretReads).singleElement().satisfies(s -> assertThat(s.get("Resource")).isEqualTo(Map.of("Ref", secret)));
        // Only the execution role has an inline policy; the task role has none.
        Map<String, Map<String, Object>> policies = express.findResources("AWS::IAM::Policy");
        assertThat(json(policies)).contains("ExpressExecutionRole").doesNotContain("ExpressTaskRole");
        // Resource "*" only for ecr:GetAuthorizationToken, which has no resource-level permissions.
        assertThat(statements(express)).filteredOn(s -> json(s.get("Resource")).equals("\"*\""))
                .allSatisfy(s -> assertThat(actions(s)).containsExactly("ecr:GetAuthorizationToken"));
    }

    @Test
    void theTaskRoleGetsTheTableAndBedrockWhenConfigured() {
        Template t = TestApps.template(TestApps.app(overrides("createStateTable", true,
                "bedrockModels", List.of("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5"))), STACK);
        String table = only(t, "AWS::DynamoDB::Table");
        Map<String, Map<String, Object>> taskPolicies = t.findResources("AWS::IAM::Policy",
                Map.of("Properties", Map.of("Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("ExpressTaskRole.*"))))));
        assertThat(taskPolicies).hasSize(1);
        String taskPolicy = json(taskPolicies);
        assertThat(taskPolicy).contains("dynamodb:PutItem", table, "bedrock:InvokeModelWithResponseStream",
                "inference-profile/eu.anthropic.claude-sonnet-4-5").doesNotContain("secretsmanager:");
        t.hasResourceProperties("AWS::ECS::ExpressGatewayService", Map.of("PrimaryContainer", Match.objectLike(Map.of(
                "Environment", Match.arrayWith(List.of(Map.of("Name", "GATEWAY_STATE_TABLE", "Value", Map.of("Ref", table))))))));
    }

    @Test
    void expressModeUsesTheAwsInfrastructurePolicyForItsLoadBalancer() {
        express.hasResourceProperties("AWS::IAM::Role", Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "ecs.amazonaws.com")))))),
                "ManagedPolicyArns", List.of(Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                        ":iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"))))));
    }

    @Test
    void plainEnvironmentFromContextReachesTheContainer() {
        Template t = TestApps.template(TestApps.app(overrides("environment",
                "AZURE_OPENAI_ENDPOINT=https://my-resource.openai.azure.com,AZURE_OPENAI_MODEL=gpt-4o-prod")), STACK);
        t.hasResourceProperties("AWS::ECS::ExpressGatewayService", Map.of("PrimaryContainer", Match.objectLike(Map.of(
                "Environment", Match.arrayWith(List.of(
                        Map.of("Name", "AZURE_OPENAI_ENDPOINT", "Value", "https://my-resource.openai.azure.com"),
                        Map.of("Name", "AZURE_OPENAI_MODEL", "Value", "gpt-4o-prod")))))));
    }

    @Test
    void alarmsAndDashboardWatchTheServiceAndTheRequestLog() {
        express.resourceCountIs("AWS::CloudWatch::Alarm", 2);
        express.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Namespace", "AWS/ApplicationELB",
                "MetricName", "HTTPCode_Target_5XX_Count"));
        express.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Namespace", "AWS/ECS", "MetricName", "MemoryUtilization",
                "Threshold", 90));
        String body = json(express.findResources("AWS::CloudWatch::Dashboard"));
        assertThat(body).contains("Requests and errors", "pct(duration_ms, 99)", "pct(ttfb_ms, 50)", "sum(output_tokens)",
                "Errors by class", "Tokens by model", "gateway_cost_usd_total", "gateway_cache_hits_total",
                "gateway_circuit_breaker_state", "TargetResponseTime", only(express, "AWS::Logs::LogGroup"));
    }

    @Test
    void synthStagesTheDockerBuildContextWithoutBuildingIt() throws IOException {
        CloudAssembly assembly = app.synth();
        Path out = Path.of(assembly.getDirectory());
        List<Path> contexts;
        try (Stream<Path> entries = Files.list(out)) {
            contexts = entries.filter(p -> Files.isRegularFile(p.resolve("Dockerfile"))).toList();
        }
        assertThat(contexts).singleElement().satisfies(context -> {
            try (Stream<Path> files = Files.walk(context)) {
                // .dockerignore lets only the Boot jar into the build context.
                assertThat(files.filter(Files::isRegularFile).map(p -> context.relativize(p).toString()).sorted().toList())
                        .containsExactly(".dockerignore", "Dockerfile", "target/gateway-app.jar");
            }
        });
        String assets = Files.readString(out.resolve(STACK + ".assets.json"));
        assertThat(assets).contains("\"dockerImages\"", "\"platform\": \"linux/amd64\"");
    }

    @Test
    void appRunnerRunsTheImageWithHealthCheckScalingAndTheSecretInjected() {
        Template t = TestApps.template(TestApps.app(overrides("containerPlatform", "apprunner", "containerCpu", "256",
                "containerMemory", "512", "maxTasks", "4")), STACK);
        String secret = only(t, "AWS::SecretsManager::Secret");
        String scaling = only(t, "AWS::AppRunner::AutoScalingConfiguration");
        t.resourceCountIs("AWS::ECS::ExpressGatewayService", 0);
        t.hasResourceProperties("AWS::AppRunner::AutoScalingConfiguration", Map.of("MinSize", 1, "MaxSize", 4, "MaxConcurrency", 100));
        t.hasResourceProperties("AWS::AppRunner::Service", Map.of(
                "HealthCheckConfiguration", Map.of("Protocol", "HTTP", "Path", "/health/ready", "Interval", 10, "Timeout", 5,
                        "HealthyThreshold", 1, "UnhealthyThreshold", 5),
                "InstanceConfiguration", Match.objectLike(Map.of("Cpu", "0.25 vCPU", "Memory", "0.5 GB")),
                "AutoScalingConfigurationArn", Map.of("Fn::GetAtt", List.of(scaling, "AutoScalingConfigurationArn")),
                "SourceConfiguration", Match.objectLike(Map.of(
                        "AutoDeploymentsEnabled", false,
                        "ImageRepository", Match.objectLike(Map.of(
                                "ImageRepositoryType", "ECR",
                                "ImageConfiguration", Map.of(
                                        "Port", "8080",
                                        "RuntimeEnvironmentVariables", List.of(Map.of("Name", "PORT", "Value", "8080")),
                                        "RuntimeEnvironmentSecrets", List.of(
                                                Map.of("Name", "PROXY_API_KEY", "Value", secretKey(secret, "PROXY_API_KEY")),
                                                Map.of("Name", "AZURE_OPENAI_API_KEY", "Value", secretKey(secret, "AZURE_OPENAI_API_KEY"))))))))));
        assertThat(statements(t)).filteredOn(s -> actions(s).contains("secretsmanager:GetSecretValue"))
                .singleElement().satisfies(s -> assertThat(s.get("Resource")).isEqualTo(Map.of("Ref", secret)));
        t.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Namespace", "AWS/AppRunner", "MetricName", "5xxStatusResponses"));
        assertThat(json(t.findResources("AWS::CloudWatch::Dashboard"))).contains("/aws/apprunner/", "/application", "RequestLatency");
        assertThat(TestApps.unsuppressedNagFindings(TestApps.stack(TestApps.app(overrides("containerPlatform", "apprunner")), STACK)))
                .isEmpty();
    }

    @Test
    void cdkNagFindsNothingUnsuppressed() {
        assertThat(TestApps.unsuppressedNagFindings(TestApps.stack(app, STACK))).isEmpty();
    }
}
