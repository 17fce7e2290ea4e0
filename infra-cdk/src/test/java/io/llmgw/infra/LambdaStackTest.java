package io.llmgw.infra;

import static io.llmgw.infra.TestApps.actions;
import static io.llmgw.infra.TestApps.json;
import static io.llmgw.infra.TestApps.overrides;
import static io.llmgw.infra.TestApps.statements;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The Lambda stack as cdk.json's defaults synthesize it, and what each switch changes. */
class LambdaStackTest {
    private static final String STACK = "LlmGatewayLambda";
    private static App app;
    private static Template template;

    @BeforeAll
    static void synth() {
        app = TestApps.app(Map.of());
        template = TestApps.template(app, STACK);
    }

    private static String only(Template t, String type) {
        Map<String, Map<String, Object>> found = t.findResources(type);
        assertThat(found).hasSize(1);
        return found.keySet().iterator().next();
    }

    @Test
    void theZipRunsOnJava21WithTheStreamingWrapperAndSnapStart() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "MemorySize", 1024,
                "Timeout", 900,
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "AWS_LAMBDA_EXEC_WRAPPER", "/var/task/stream-bootstrap",
                        "GATEWAY_SECRET_ID", Map.of("Ref", only(template, "AWS::SecretsManager::Secret")),
                        "POWERTOOLS_METRICS_NAMESPACE", "LlmGateway",
                        "POWERTOOLS_SERVICE_NAME", "llm-gateway")))));
    }

    @Test
    void theUrlStreamsFromTheAliasOfAPublishedVersion() {
        String version = only(template, "AWS::Lambda::Version");
        String function = only(template, "AWS::Lambda::Function");
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "Name", "live",
                "FunctionName", Map.of("Ref", function),
                "FunctionVersion", Map.of("Fn::GetAtt", List.of(version, "Version"))));
        template.hasResourceProperties("AWS::Lambda::Url", Map.of(
                "InvokeMode", "RESPONSE_STREAM",
                "AuthType", "NONE",
                "Qualifier", "live",
                "TargetFunctionArn", Map.of("Fn::GetAtt", List.of(function, "Arn"))));
    }

    @Test
    void aPublicUrlGrantsBothInvokePermissionsOnTheAlias() {
        String alias = only(template, "AWS::Lambda::Alias");
        template.resourceCountIs("AWS::Lambda::Permission", 2);
        template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunctionUrl", "FunctionUrlAuthType", "NONE", "Principal", "*",
                "FunctionName", Map.of("Ref", alias)));
        template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction", "InvokedViaFunctionUrl", true, "Principal", "*",
                "FunctionName", Map.of("Ref", alias)));
    }

    @Test
    void anIamUrlGrantsNoPublicPermission() {
        Template iam = TestApps.template(TestApps.app(overrides("urlAuthType", "AWS_IAM")), STACK);
        iam.hasResourceProperties("AWS::Lambda::Url", Map.of("AuthType", "AWS_IAM", "InvokeMode", "RESPONSE_STREAM"));
        iam.resourceCountIs("AWS::Lambda::Permission", 0);
    }

    @Test
    void theFunctionReadsItsOwnSecretAndNothingElseWithoutATable() {
        String secret = only(template, "AWS::SecretsManager::Secret");
        List<Map<String, Object>> statements = statements(template);
        assertThat(statements).noneSatisfy(s -> assertThat(json(s.get("Resource"))).isEqualTo("\"*\""));
        assertThat(statements).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("secretsmanager:")))
                .singleElement().satisfies(s -> {
                    assertThat(actions(s)).containsExactlyInAnyOrder("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret");
                    assertThat(s.get("Resource")).isEqualTo(Map.of("Ref", secret));
                });
        assertThat(statements).noneSatisfy(s -> assertThat(json(actions(s))).contains("dynamodb:"));
        assertThat(statements).noneSatisfy(s -> assertThat(json(actions(s))).contains("bedrock:"));
        template.resourceCountIs("AWS::DynamoDB::Table", 0);
        // Logging: the function's own log group, not AWSLambdaBasicExecutionRole.
        template.hasResourceProperties("AWS::IAM::Role", Map.of("ManagedPolicyArns", Match.absent()));
    }

    @Test
    void anExistingSecretIsReadByItsArnAndNoneIsCreated() {
        String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:llm-gateway-AbCdEf";
        Template t = TestApps.template(TestApps.app(overrides("secretArn", arn)), STACK);
        t.resourceCountIs("AWS::SecretsManager::Secret", 0);
        assertThat(statements(t)).filteredOn(s -> actions(s).contains("secretsmanager:GetSecretValue"))
                .singleElement().satisfies(s -> assertThat(s.get("Resource")).isEqualTo(arn));
        t.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Environment", Map.of("Variables", Match.objectLike(Map.of("GATEWAY_SECRET_ID", arn)))));
    }

    @Test
    void theStateTableIsOnDemandWithTtlAndOnlyItsItemsAreGranted() {
        Template t = TestApps.template(TestApps.app(overrides("createStateTable", "true")), STACK);
        String table = only(t, "AWS::DynamoDB::Table");
        t.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
        t.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Environment", Map.of("Variables", Match.objectLike(Map.of("GATEWAY_STATE_TABLE", Map.of("Ref", table))))));
        List<Map<String, Object>> dynamo = statements(t).stream()
                .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:"))).toList();
        // CDK's read-write data grant: item actions (and stream reads, there being no stream) on this table's ARN only.
        assertThat(dynamo.stream().flatMap(s -> actions(s).stream()).toList())
                .contains("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
                        "dynamodb:ConditionCheckItem")
                .allSatisfy(a -> assertThat(a).isNotIn("dynamodb:*", "dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:CreateTable"));
        assertThat(dynamo).isNotEmpty().allSatisfy(s -> assertThat(s.get("Resource"))
                .isEqualTo(List.of(Map.of("Fn::GetAtt", List.of(table, "Arn")))));
    }

    @Test
    void bedrockModelsAreGrantedByArnWhenConfigured() {
        Template t = TestApps.template(TestApps.app(overrides("bedrockModels", "anthropic.claude-sonnet-4-5-20250929-v1:0")), STACK);
        assertThat(statements(t)).filteredOn(s -> actions(s).contains("bedrock:InvokeModelWithResponseStream"))
                .singleElement().satisfies(s -> assertThat(json(s.get("Resource")))
                        .contains(":bedrock:").contains("::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"));
    }

    @Test
    void contextSetsMemoryArchitectureAndRetention() {
        Template t = TestApps.template(TestApps.app(overrides("memory", "2048", "architecture", "x86_64", "logRetentionDays", "7")), STACK);
        t.hasResourceProperties("AWS::Lambda::Function", Map.of("MemorySize", 2048, "Architectures", List.of("x86_64")));
        t.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 7));
    }

    @Test
    void logsGoToAGroupWithRetention() {
        String logs = only(template, "AWS::Logs::LogGroup");
        template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("LoggingConfig", Map.of("LogGroup", Map.of("Ref", logs))));
    }

    @Test
    void alarmsCoverErrorsThrottlesP99DurationAndUrl5xx() {
        template.resourceCountIs("AWS::CloudWatch::Alarm", 4);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Namespace", "AWS/Lambda", "MetricName", "Errors", "Threshold", 1));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Namespace", "AWS/Lambda", "MetricName", "Throttles"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Namespace", "AWS/Lambda", "MetricName", "Duration",
                "ExtendedStatistic", "p99", "Threshold", 810_000));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Namespace", "AWS/Lambda", "MetricName", "Url5xxCount"));
    }

    @Test
    void alarmsNotifyTheGivenTopic() {
        String topic = "arn:aws:sns:eu-west-1:123456789012:ops";
        Template t = TestApps.template(TestApps.app(overrides("alarmTopicArn", topic)), STACK);
        t.allResourcesProperties("AWS::CloudWatch::Alarm", Map.of("AlarmActions", List.of(topic)));
    }

    @Test
    void theDashboardShowsTheGatewaysMetrics() {
        String body = json(template.findResources("AWS::CloudWatch::Dashboard"));
        assertThat(body).contains("gateway_requests_total", "gateway_errors_total", "gateway_request_duration_seconds",
                "gateway_time_to_first_byte_seconds", "gateway_input_tokens_total", "gateway_output_tokens_total",
                "gateway_cost_usd_total", "gateway_cache_hits_total", "gateway_circuit_breaker_state",
                "Errors by class", "Tokens by model", "p99", "Url5xxCount");
    }

    @Test
    void cdkNagFindsNothingUnsuppressed() {
        assertThat(TestApps.unsuppressedNagFindings(TestApps.stack(app, STACK))).isEmpty();
    }
}
