package io.llmgw.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.constructs.Construct;

/**
 * The gateway as a container: the image built from functions/app/Dockerfile (an image asset: synth
 * only stages the build context, deploy builds and pushes it to the bootstrap ECR repository) on
 * ECS Express Mode by default, or on App Runner (context {@code containerPlatform=apprunner}) for
 * accounts that already have it. Either way the platform health-checks {@code /health/ready},
 * scales between {@code minTasks} and {@code maxTasks}, and injects the secret's keys as variables.
 */
public final class ContainerStack extends Stack {
    /** The container's port (the image's PORT default). */
    static final int PORT = 8080;

    public ContainerStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        GatewayResources resources = new GatewayResources(this, "Resources", settings);
        // linux/amd64: neither Express Mode (no runtime-platform setting) nor App Runner runs arm64 images.
        DockerImageAsset image = DockerImageAsset.Builder.create(this, "Image")
                .directory(settings.containerContext().toString())
                .platform(Platform.LINUX_AMD64)
                .build();

        Map<String, String> environment = new LinkedHashMap<>(settings.environment());
        environment.putAll(resources.environment());
        environment.put("PORT", Integer.toString(PORT));

        ContainerService service = settings.containerPlatform().equals(Settings.EXPRESS)
                ? new ExpressService(this, "Express", settings, resources, image, environment)
                : new AppRunnerService(this, "AppRunner", settings, resources, image, environment);

        new GatewayDashboard(this, "Dashboard", "LLM gateway on " + service.platformName(), settings.metricsNamespace(), false,
                List.of(service.logGroupName()), service.platformWidgets());

        CfnOutput.Builder.create(this, "ServiceUrl").description("The gateway's URL (OpenAI clients add /v1)").value(service.url()).build();
        CfnOutput.Builder.create(this, "SecretArn").description("The configuration secret (PROXY_API_KEY is the key clients use)")
                .value(resources.secret().getSecretArn()).build();
        if (resources.table() != null) {
            CfnOutput.Builder.create(this, "StateTableName").value(resources.table().getTableName()).build();
        }
    }

    /** "NAME" → "arn:…:secret:…:NAME::", the form ECS and App Runner take for one key of a JSON secret. */
    static String secretKeyReference(GatewayResources resources, String key) {
        return resources.secret().getSecretArn() + ":" + key + "::";
    }
}
