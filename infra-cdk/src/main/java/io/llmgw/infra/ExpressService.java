package io.llmgw.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.ecs.CfnExpressGatewayService;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * ECS Express Mode (AWS::ECS::ExpressGatewayService, the L1 construct: aws-cdk-lib has no L2 for
 * it yet): Fargate tasks behind an Application Load Balancer that ECS creates and manages, with an
 * HTTPS URL, the health check on {@code /health/ready} and target-tracking auto scaling on CPU.
 * Requests and streams are not cut by the platform (the gateway's keep-alive frames keep the load
 * balancer's idle timeout from ending a quiet stream).
 */
final class ExpressService extends Construct implements ContainerService {
    private static final String AUTO_SCALING_METRIC = "AVERAGE_CPU";
    private static final int AUTO_SCALING_TARGET_PERCENT = 60;

    private final CfnExpressGatewayService service;
    private final LogGroup logs;
    private final Alarms alarms;

    ExpressService(Construct scope, String id, Settings settings, GatewayResources resources, DockerImageAsset image,
                   Map<String, String> environment) {
        super(scope, id);
        logs = LogGroup.Builder.create(this, "Logs").removalPolicy(RemovalPolicy.DESTROY).build();
        ((CfnLogGroup) logs.getNode().getDefaultChild()).setRetentionInDays(settings.logRetentionDays());

        // Used by ECS to start the task: pull the image, write the logs, read the secret it injects.
        Role executionRole = Role.Builder.create(this, "ExecutionRole").assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("LLM gateway tasks: pull the image, write the logs, inject the secret").build();
        image.getRepository().grantPull(executionRole);
        logs.grantWrite(executionRole);
        resources.grantSecretRead(executionRole);
        Nag.suppress(executionRole, "AwsSolutions-IAM5", "ecr:GetAuthorizationToken has no resource-level permissions (it must be "
                + "Resource *).",
                "Resource::*");

        // Used by the gateway while it runs: the state table and Bedrock, when configured; nothing else.
        Role taskRole = Role.Builder.create(this, "TaskRole").assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("LLM gateway at run time: its state table and Bedrock models, when configured").build();
        resources.grantData(taskRole);

        // Used by ECS to create and manage the load balancer, target group, security groups and scaling policies.
        Role infrastructureRole = Role.Builder.create(this, "InfrastructureRole")
                .assumedBy(new ServicePrincipal("ecs.amazonaws.com"))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonECSInfrastructureRoleforExpressGatewayServices")))
                .build();
        Nag.suppress(infrastructureRole, "AwsSolutions-IAM4", "The AWS-maintained policy made for this role: ECS manages the "
                + "load balancer, certificates, security groups and auto scaling of Express services with it, and AWS updates it "
                + "as Express Mode changes; a hand-copied policy would drift.",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices");

        List<Object> variables = new ArrayList<>();
        environment.forEach((name, value) -> variables.add(CfnExpressGatewayService.KeyValuePairProperty.builder()
                .name(name).value(value).build()));
        List<Object> secrets = new ArrayList<>();
        for (String key : settings.secretKeys()) {
            secrets.add(CfnExpressGatewayService.SecretProperty.builder()
                    .name(key).valueFrom(ContainerStack.secretKeyReference(resources, key)).build());
        }

        service = CfnExpressGatewayService.Builder.create(this, "Service")
                .serviceName(settings.serviceName())
                .executionRoleArn(executionRole.getRoleArn())
                .infrastructureRoleArn(infrastructureRole.getRoleArn())
                .taskRoleArn(taskRole.getRoleArn())
                .cpu(Integer.toString(settings.containerCpu()))
                .memory(Integer.toString(settings.containerMemoryMb()))
                .healthCheckPath("/health/ready")
                .primaryContainer(CfnExpressGatewayService.ExpressGatewayContainerProperty.builder()
                        .image(image.getImageUri())
                        .containerPort(ContainerStack.PORT)
                        .environment(variables)
                        .secrets(secrets)
                        .awsLogsConfiguration(CfnExpressGatewayService.ExpressGatewayServiceAwsLogsConfigurationProperty.builder()
                                .logGroup(logs.getLogGroupName()).logStreamPrefix("gateway").build())
                        .build())
                .scalingTarget(CfnExpressGatewayService.ExpressGatewayScalingTargetProperty.builder()
                        .minTaskCount(settings.minTasks())
                        .maxTaskCount(settings.maxTasks())
                        .autoScalingMetric(AUTO_SCALING_METRIC)
                        .autoScalingTargetValue(AUTO_SCALING_TARGET_PERCENT)
                        .build())
                .build();
        // The roles' inline policies must exist before ECS uses the roles (the roles themselves are referenced already).
        for (Role role : List.of(executionRole, taskRole)) {
            IConstruct policy = role.getNode().tryFindChild("DefaultPolicy");
            if (policy != null) {
                service.getNode().addDependency(policy);
            }
        }

        alarms = new Alarms(this, "Alarms", settings.alarmTopicArn());
        alarms.add("Target5xx", "The gateway's tasks answered 5xx through the load balancer (5 or more in 5 minutes).",
                loadBalancerMetric("HTTPCode_Target_5XX_Count", "Sum"), 5);
        alarms.add("Memory", "The service's average memory use is at or above 90% of its tasks' memory.",
                ecsMetric("MemoryUtilization", "Average"), 90);
    }

    @Override
    public String platformName() {
        return "ECS Express Mode";
    }

    @Override
    public String url() {
        return "https://" + service.getAttrEndpoint();
    }

    @Override
    public String logGroupName() {
        return logs.getLogGroupName();
    }

    @Override
    public List<IWidget> platformWidgets() {
        return List.of(
                GatewayDashboard.graph("Load balancer requests and target 5xx", List.<IMetric>of(
                        loadBalancerMetric("RequestCount", "Sum"), loadBalancerMetric("HTTPCode_Target_5XX_Count", "Sum"))),
                GatewayDashboard.graph("Target response time (s)", List.<IMetric>of(
                        loadBalancerMetric("TargetResponseTime", "p50"), loadBalancerMetric("TargetResponseTime", "p99"))),
                GatewayDashboard.graph("Tasks: CPU and memory (%)", List.<IMetric>of(
                        ecsMetric("CPUUtilization", "Average"), ecsMetric("MemoryUtilization", "Average"))));
    }

    /** ALB metrics of the service's own target group on the load balancer ECS created (ARNs from the service's attributes). */
    private Metric loadBalancerMetric(String name, String statistic) {
        String loadBalancer = Fn.select(1, Fn.split("loadbalancer/", service.getAttrEcsManagedResourceArnsIngressPathLoadBalancerArn()));
        String targetGroup = Fn.select(5, Fn.split(":", Fn.select(0, service.getAttrEcsManagedResourceArnsIngressPathTargetGroupArns())));
        return Metric.Builder.create().namespace("AWS/ApplicationELB").metricName(name)
                .dimensionsMap(Map.of("LoadBalancer", loadBalancer, "TargetGroup", targetGroup))
                .statistic(statistic).period(Duration.minutes(5)).build();
    }

    /** ECS service metrics; Express services run in the cluster named "default" unless told otherwise. */
    private Metric ecsMetric(String name, String statistic) {
        String serviceName = Fn.select(2, Fn.split("/", service.getAttrServiceArn()));
        return Metric.Builder.create().namespace("AWS/ECS").metricName(name)
                .dimensionsMap(Map.of("ClusterName", "default", "ServiceName", serviceName))
                .statistic(statistic).period(Duration.minutes(5)).build();
    }
}
