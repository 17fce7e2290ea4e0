package io.llmgw.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.apprunner.CfnAutoScalingConfiguration;
import software.amazon.awscdk.services.apprunner.CfnService;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * App Runner, for accounts that already use it (it takes no new customers since 2026-04-30):
 * the image from ECR, the health check on {@code /health/ready}, concurrency-based auto scaling.
 * App Runner ends every request after 120 seconds, streams included (README, "Deploy as a
 * container"). It creates the service's log groups itself, so their retention is set afterwards.
 */
final class AppRunnerService extends Construct implements ContainerService {
    /** Requests one instance takes before App Runner adds another (its default). */
    private static final int MAX_CONCURRENCY = 100;

    private final CfnService service;
    private final String serviceName;

    AppRunnerService(Construct scope, String id, Settings settings, GatewayResources resources, DockerImageAsset image,
                     Map<String, String> environment) {
        super(scope, id);
        serviceName = settings.serviceName();

        Role accessRole = Role.Builder.create(this, "AccessRole").assumedBy(new ServicePrincipal("build.apprunner.amazonaws.com"))
                .description("App Runner pulls the gateway image").build();
        image.getRepository().grantPull(accessRole);
        Nag.suppress(accessRole, "AwsSolutions-IAM5", "ecr:GetAuthorizationToken has no resource-level permissions; it must be Resource *.",
                "Resource::*");

        // The instance role serves both App Runner injecting the secret and the gateway at run time.
        Role instanceRole = Role.Builder.create(this, "InstanceRole").assumedBy(new ServicePrincipal("tasks.apprunner.amazonaws.com"))
                .description("LLM gateway on App Runner: its secret, state table and Bedrock models").build();
        resources.grantTo(instanceRole);

        CfnAutoScalingConfiguration scaling = CfnAutoScalingConfiguration.Builder.create(this, "Scaling")
                .autoScalingConfigurationName(serviceName)
                .minSize(settings.minTasks())
                .maxSize(settings.maxTasks())
                .maxConcurrency(MAX_CONCURRENCY)
                .build();

        List<Object> variables = new ArrayList<>();
        environment.forEach((name, value) -> variables.add(CfnService.KeyValuePairProperty.builder().name(name).value(value).build()));
        List<Object> secrets = new ArrayList<>();
        for (String key : settings.secretKeys()) {
            secrets.add(CfnService.KeyValuePairProperty.builder().name(key).value(ContainerStack.secretKeyReference(resources, key)).build());
        }

        service = CfnService.Builder.create(this, "Service")
                .serviceName(serviceName)
                .sourceConfiguration(CfnService.SourceConfigurationProperty.builder()
                        .autoDeploymentsEnabled(false)
                        .authenticationConfiguration(CfnService.AuthenticationConfigurationProperty.builder()
                                .accessRoleArn(accessRole.getRoleArn()).build())
                        .imageRepository(CfnService.ImageRepositoryProperty.builder()
                                .imageIdentifier(image.getImageUri())
                                .imageRepositoryType("ECR")
                                .imageConfiguration(CfnService.ImageConfigurationProperty.builder()
                                        .port(Integer.toString(ContainerStack.PORT))
                                        .runtimeEnvironmentVariables(variables)
                                        .runtimeEnvironmentSecrets(secrets)
                                        .build())
                                .build())
                        .build())
                .instanceConfiguration(CfnService.InstanceConfigurationProperty.builder()
                        .cpu(vcpu(settings.containerCpu()))
                        .memory(gigabytes(settings.containerMemoryMb()))
                        .instanceRoleArn(instanceRole.getRoleArn())
                        .build())
                .healthCheckConfiguration(CfnService.HealthCheckConfigurationProperty.builder()
                        .protocol("HTTP").path("/health/ready").interval(10).timeout(5).healthyThreshold(1).unhealthyThreshold(5)
                        .build())
                .autoScalingConfigurationArn(scaling.getAttrAutoScalingConfigurationArn())
                .build();
        // The roles' inline policies must exist before App Runner uses the roles (the roles themselves are referenced already).
        for (Role role : List.of(accessRole, instanceRole)) {
            IConstruct policy = role.getNode().tryFindChild("DefaultPolicy");
            if (policy != null) {
                service.getNode().addDependency(policy);
            }
        }

        Alarms alarms = new Alarms(this, "Alarms", settings.alarmTopicArn());
        alarms.add("5xx", "The service answered 5xx (5 or more in 5 minutes).", metric("5xxStatusResponses", "Sum"), 5);
        alarms.add("Memory", "The instances' average memory use is at or above 90%.", metric("MemoryUtilization", "Average"), 90);
    }

    @Override
    public String platformName() {
        return "App Runner";
    }

    @Override
    public String url() {
        return "https://" + service.getAttrServiceUrl();
    }

    @Override
    public String logGroupName() {
        return Fn.join("", List.of("/aws/apprunner/", serviceName, "/", service.getAttrServiceId(), "/application"));
    }

    @Override
    public List<IWidget> platformWidgets() {
        return List.of(
                GatewayDashboard.graph("App Runner requests and 5xx", List.<IMetric>of(
                        metric("Requests", "Sum"), metric("5xxStatusResponses", "Sum"))),
                GatewayDashboard.graph("App Runner request latency (ms)", List.<IMetric>of(
                        metric("RequestLatency", "p50"), metric("RequestLatency", "p99"))),
                GatewayDashboard.graph("Instances, CPU and memory", List.<IMetric>of(
                        metric("ActiveInstances", "Maximum"), metric("CPUUtilization", "Average"), metric("MemoryUtilization", "Average"))));
    }

    private Metric metric(String name, String statistic) {
        return Metric.Builder.create().namespace("AWS/AppRunner").metricName(name)
                .dimensionsMap(Map.of("ServiceName", serviceName, "ServiceID", service.getAttrServiceId()))
                .statistic(statistic).period(Duration.minutes(5)).build();
    }

    /** CPU units → App Runner's notation: 256 → "0.25 vCPU", 1024 → "1 vCPU". */
    static String vcpu(int units) {
        return trim(units / 1024.0) + " vCPU";
    }

    /** MiB → "0.5 GB", "2 GB". */
    static String gigabytes(int mebibytes) {
        return trim(mebibytes / 1024.0) + " GB";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
