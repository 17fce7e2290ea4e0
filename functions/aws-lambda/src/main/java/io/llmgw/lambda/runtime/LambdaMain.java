package io.llmgw.lambda.runtime;

import io.llmgw.lambda.logging.DeferredLog4jProvider;
import io.llmgw.lambda.secrets.SecretsClients;
import java.time.Clock;

/**
 * The process entry point on Lambda: the {@code stream-bootstrap} wrapper puts this class where the
 * managed {@code java21} runtime's command line names the official runtime client, keeping Lambda's
 * JVM flags. Arguments (the configured handler) are ignored: there is only one thing to run.
 */
public final class LambdaMain {
    private LambdaMain() {}

    public static void main(String[] args) {
        DeferredLog4jProvider.install();  // before any class asks SLF4J for a logger
        if (!"snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            StartupWarmup.start();  // before anything touches logging, which the main thread initialises next
        }
        System.exit(new RuntimeLoop(System::getenv, SecretsClients.DEFAULT, Clock.systemUTC()).run());
    }
}
