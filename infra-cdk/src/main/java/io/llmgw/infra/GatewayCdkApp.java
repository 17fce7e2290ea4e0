package io.llmgw.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * {@code cdk synth} / {@code cdk deploy} entry point (cdk.json): the Lambda stack and the container
 * stack, each deployable alone, both checked by cdk-nag's AwsSolutions rules (an unsuppressed error
 * fails the synth). Settings come from context: see {@link Settings} and the README.
 */
public final class GatewayCdkApp {
    private GatewayCdkApp() {}

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /** Adds both stacks and the checks to {@code app}. */
    static void build(App app) {
        Settings settings = Settings.from(app.getNode()::tryGetContext);
        StackProps props = StackProps.builder().description("LLM gateway").build();
        new LambdaStack(app, "LlmGatewayLambda", props, settings);
        new ContainerStack(app, "LlmGatewayContainer", props, settings);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    }
}
