package io.llmgw.lambda.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The function-URL path starts a fresh JVM on every cold start, so Spring (about a second of
 * start-up) stays out of it: only the API Gateway handler may use Spring or the serverless container.
 */
class NoSpringOnTheStreamingPathTest {
    @Test
    void theStreamingRuntimeImportsNoSpring() {
        // Only the names of dependency targets matter; resolving them from the classpath would take seconds.
        ArchConfiguration configuration = ArchConfiguration.get();
        boolean resolve = configuration.resolveMissingDependenciesFromClassPath();
        configuration.setResolveMissingDependenciesFromClassPath(false);
        JavaClasses classes;
        try {
            classes = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                    .importPackages("io.llmgw.lambda");
        } finally {
            configuration.setResolveMissingDependenciesFromClassPath(resolve);
        }
        assertThat(classes.contain(io.llmgw.lambda.runtime.RuntimeLoop.class)).isTrue();
        noClasses().that().resideInAnyPackage("io.llmgw.lambda.runtime..", "io.llmgw.lambda.url..", "io.llmgw.lambda.secrets..",
                        "io.llmgw.lambda.snapstart..", "io.llmgw.lambda.telemetry..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "com.amazonaws.serverless..",
                        "io.llmgw.app..", "io.llmgw.lambda.apigateway..")
                .check(classes);
    }
}
