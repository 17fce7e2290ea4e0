package io.llmgw.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.lambda.InvokeMode;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The gateway on AWS Lambda, as template.yaml deploys it: functions/aws-lambda's zip on the managed
 * java21 runtime with our streaming loop (stream-bootstrap), SnapStart on a published version
 * behind the {@code live} alias, a function URL in RESPONSE_STREAM mode on that alias, keys from
 * Secrets Manager, the optional state table, log retention, alarms and the dashboard.
 */
public final class LambdaStack extends Stack {
    static final int TIMEOUT_MINUTES = 15;

    public LambdaStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        GatewayResources resources = new GatewayResources(this, "Resources", settings);

        LogGroup logs = LogGroup.Builder.create(this, "Logs").removalPolicy(RemovalPolicy.DESTROY).build();
        ((CfnLogGroup) logs.getNode().getDefaultChild()).setRetentionInDays(settings.logRetentionDays());

        // Our own role rather than the default one with AWSLambdaBasicExecutionRole: writing to this
        // function's log group is all the logging it needs.
        Role role = Role.Builder.create(this, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("LLM gateway function: its logs, its secret, its table and models").build();
        logs.grantWrite(role);
        resources.grantTo(role);

        Map<String, String> environment = new LinkedHashMap<>(settings.environment());
        environment.putAll(resources.environment());
        // The runtime runs stream-bootstrap, which relaunches the JVM with our streaming Runtime API loop.
        environment.put("AWS_LAMBDA_EXEC_WRAPPER", "/var/task/stream-bootstrap");
        environment.put("GATEWAY_SECRET_ID", resources.secret().getSecretArn());
        environment.put("POWERTOOLS_SERVICE_NAME", GatewayDashboard.SERVICE);
        environment.put("POWERTOOLS_METRICS_NAMESPACE", settings.metricsNamespace());

        Function function = Function.Builder.create(this, "Gateway")
                .description("LLM gateway, streaming function URL (own Runtime API loop via stream-bootstrap)")
                .runtime(Runtime.JAVA_21)
                .architecture(settings.architecture().equals("arm64") ? Architecture.ARM_64 : Architecture.X86_64)
                // Required by the runtime but unused: stream-bootstrap replaces the runtime client with our loop.
                .handler("io.llmgw.lambda.apigateway.HttpApiHandler::handleRequest")
                .code(Code.fromAsset(settings.lambdaZip().toString()))
                .memorySize(settings.lambdaMemoryMb())
                .timeout(Duration.minutes(TIMEOUT_MINUTES))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .role(role)
                .logGroup(logs)
                .environment(environment)
                .build();
        // aws-cdk-lib's Function adds an explicit DependsOn on its role next to the GetAtt of the role's ARN,
        // which cfn-lint reports as redundant (W3005); harmless, and not ours to change.
        ((CfnFunction) function.getNode().getDefaultChild()).addMetadata("cfn-lint",
                Map.of("config", Map.of("ignore_checks", List.of("W3005"))));
        // SnapStart needs a published version: currentVersion below publishes one per code or configuration change.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "published through currentVersion, which the live alias points at");
        Nag.suppress(function, "AwsSolutions-L1", "java21 on purpose: the build targets Java 21 (--release 21) and "
                + "stream-bootstrap is written and tested against the java21 runtime's launch command.");

        // SnapStart applies to published versions only: the URL, and so every request, goes to the alias.
        Alias live = Alias.Builder.create(this, "Live").aliasName("live").version(function.getCurrentVersion()).build();
        FunctionUrl url = live.addFunctionUrl(FunctionUrlOptions.builder()
                .authType(settings.publicUrl() ? FunctionUrlAuthType.NONE : FunctionUrlAuthType.AWS_IAM)
                .invokeMode(InvokeMode.RESPONSE_STREAM)
                .build());

        Alarms alarms = new Alarms(this, "Alarms", settings.alarmTopicArn());
        alarms.add("Errors", "The function failed invocations (init errors, crashes, invocation errors).",
                function.metricErrors(sum()), 1);
        alarms.add("Throttles", "Invocations were throttled: the account's or the function's concurrency is exhausted.",
                function.metricThrottles(sum()), 1);
        alarms.add("DurationP99", "p99 duration is near the " + TIMEOUT_MINUTES + "-minute timeout: long streams are being cut.",
                function.metricDuration(MetricOptions.builder()
                        .statistic("p99").period(Duration.minutes(5)).build()),
                TIMEOUT_MINUTES * 60_000 * 0.9);
        alarms.add("Url5xx", "The function URL answered 5xx (function errors and timeouts as the URL reports them).",
                urlMetric(function, "Url5xxCount"), 5);

        List<IWidget> platform = List.of(
                GatewayDashboard.graph("Lambda invocations, errors, throttles", List.<IMetric>of(
                        function.metricInvocations(sum()), function.metricErrors(sum()), function.metricThrottles(sum()))),
                GatewayDashboard.graph("Lambda duration (ms)", List.<IMetric>of(
                        function.metricDuration(stat("p50")), function.metricDuration(stat("p99")))),
                GatewayDashboard.graph("Function URL", List.<IMetric>of(
                        urlMetric(function, "UrlRequestCount"), urlMetric(function, "Url4xxCount"), urlMetric(function, "Url5xxCount"))));
        new GatewayDashboard(this, "Dashboard", "LLM gateway on Lambda", settings.metricsNamespace(), true,
                List.of(logs.getLogGroupName()), platform);

        CfnOutput.Builder.create(this, "FunctionUrl").description("The gateway's streaming URL (OpenAI clients add /v1)")
                .value(url.getUrl()).build();
        CfnOutput.Builder.create(this, "SecretArn").description("The configuration secret (PROXY_API_KEY is the key clients use)")
                .value(resources.secret().getSecretArn()).build();
        if (resources.table() != null) {
            CfnOutput.Builder.create(this, "StateTableName").value(resources.table().getTableName()).build();
        }
    }

    private static MetricOptions sum() {
        return stat("Sum");
    }

    private static MetricOptions stat(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(Duration.minutes(5)).build();
    }

    /** Function URL metrics by function (every URL of it: here the one on the alias). */
    private static Metric urlMetric(Function function, String name) {
        return Metric.Builder.create().namespace("AWS/Lambda").metricName(name)
                .dimensionsMap(Map.of("FunctionName", function.getFunctionName()))
                .statistic("Sum").period(Duration.minutes(5)).build();
    }
}
