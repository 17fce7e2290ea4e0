package io.llmgw.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import io.llmgw.core.arch.fixtures.cycle.one.One;
import io.llmgw.core.arch.fixtures.cycle.two.Two;
import io.llmgw.core.arch.fixtures.dialect.LeakyDialect;
import io.llmgw.core.arch.fixtures.json.TreeToString;
import io.llmgw.core.arch.fixtures.provider.alpha.AlphaUpstream;
import io.llmgw.core.arch.fixtures.provider.beta.BetaUpstream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of docs/architecture.md ("Packages and layers"), checked on gateway-core's main classes: no package
 * cycles; the core imports no cloud SDK or Spring; dialects do not import providers; providers do
 * not import each other. The rules are built per package root so the self-tests below can prove, on
 * deliberate rule breakers, that each rule really detects what it claims to.
 */
class ArchitectureTest {
    private static final String CORE = "io.llmgw.core";
    private static final String[] FORBIDDEN_IN_CORE = {
        "software.amazon..", "com.amazonaws..", "com.azure..", "com.microsoft.azure..", "org.springframework.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // The rules only look at the names of dependency targets, so referenced library and JDK
        // classes need not be resolved from the classpath; skipping that cuts the import from ~5 s to ~1 s.
        ArchConfiguration configuration = ArchConfiguration.get();
        boolean resolve = configuration.resolveMissingDependenciesFromClassPath();
        configuration.setResolveMissingDependenciesFromClassPath(false);
        try {
            main = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS) // main classes are target/classes
                    .importPackages(CORE);
        } finally {
            configuration.setResolveMissingDependenciesFromClassPath(resolve);
        }
    }

    @Test
    void importSeesTheMainClassesAndNoTestClasses() {
        // Guards against rules passing vacuously because nothing was imported.
        assertThat(main.contain(io.llmgw.core.Gateway.class)).isTrue();
        assertThat(main.contain(io.llmgw.core.dialect.openai.chat.ChatDialect.class)).isTrue();
        assertThat(main.contain(io.llmgw.core.provider.openai.OpenAiFactory.class)).isTrue();
        assertThat(main.contain(io.llmgw.core.provider.azure.AzureFactory.class)).isTrue();
        assertThat(main.contain(ArchitectureTest.class)).isFalse();
        assertThat(main.contain(AlphaUpstream.class)).isFalse();
    }

    @Test
    void noPackageCycles() {
        packagesAreFreeOfCycles(CORE).check(main);
    }

    @Test
    void nothingDependsOnTheRootPackage() {
        // Gateway is the top: it wires everything, and nothing below reaches back up to it.
        noClasses().that().resideOutsideOfPackage(CORE).should().dependOnClassesThat().resideInAPackage(CORE)
                .because("io.llmgw.core holds only the entry point, which depends on everything else")
                .check(main);
    }

    @Test
    void coreImportsNoCloudSdkOrSpring() {
        coreIsPlatformFree(CORE).check(main);
    }

    @Test
    void dialectsDoNotDependOnProviders() {
        dialectsDoNotDependOnProviders(CORE, NOTHING).check(main);
    }

    @Test
    void openAiProviderDoesNotDependOnAzureProvider() {
        noClasses().that().resideInAPackage(CORE + ".provider.openai..")
                .should().dependOnClassesThat().resideInAPackage(CORE + ".provider.azure..")
                .check(main);
    }

    @Test
    void azureProviderDoesNotDependOnOpenAiProvider() {
        noClasses().that().resideInAPackage(CORE + ".provider.azure..")
                .should().dependOnClassesThat().resideInAPackage(CORE + ".provider.openai..")
                .check(main);
    }

    @Test
    void noProviderPackageDependsOnAnother() {
        // Generic: covers every present and future io.llmgw.core.provider.<name> package.
        providersAreIndependent(CORE).check(main);
    }

    @Test
    void loggersAreCreatedOnFirstUseNotWhenTheGatewayIsBuilt() {
        // A static logger in a class loaded while the gateway is built starts the logging back end on
        // the cold-start path (about 0.4 s on Lambda); keep them in a nested holder class instead.
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields()
                .that().areStatic().and().haveRawType(org.slf4j.Logger.class)
                .should().beDeclaredInClassesThat().areNestedClasses()
                .orShould().beDeclaredInClassesThat().haveSimpleName("RequestLog")
                .because("loggers live in a nested holder so that building the gateway does not start logging")
                .check(main);
    }

    @Test
    void jsonTreesAreWrittenThroughThePooledMapper() {
        treesAreNotWrittenWithToString().check(main);
    }

    // ---- the rules detect violations (self-tests on deliberate rule breakers) -----------------

    @Test
    void treeRuleDetectsAJsonTreeWrittenWithToString() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(TreeToString.class);

        EvaluationResult result = treesAreNotWrittenWithToString().evaluate(fixtures);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("TreeToString").contains("ObjectNode.toString()");
    }

    @Test
    void providerRuleDetectsOneProviderImportingAnother() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(AlphaUpstream.class, BetaUpstream.class);

        EvaluationResult result = providersAreIndependent(CORE + ".arch.fixtures").evaluate(fixtures);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("AlphaUpstream").contains("BetaUpstream");
    }

    @Test
    void dialectRuleDetectsADialectImportingAProvider() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(LeakyDialect.class, BetaUpstream.class);

        EvaluationResult result = dialectsDoNotDependOnProviders(CORE + ".arch.fixtures", NOTHING).evaluate(fixtures);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("LeakyDialect");
    }

    @Test
    void cycleRuleDetectsTwoPackagesImportingEachOther() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(One.class, Two.class, AlphaUpstream.class, BetaUpstream.class);

        EvaluationResult result = packagesAreFreeOfCycles(CORE + ".arch.fixtures").evaluate(fixtures);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("cycle.one").contains("cycle.two").doesNotContain("alpha");
    }

    // ---- rule factories -----------------------------------------------------------------------

    /**
     * Jackson's {@code JsonNode.toString()} writes through an internal mapper that keeps its buffers
     * in a thread-local: on a virtual thread per request, every stream in flight kept a set (~12 KB
     * with a real coding agent's request). {@code Json.string} writes through the pooled mapper.
     */
    private static ArchRule treesAreNotWrittenWithToString() {
        DescribedPredicate<JavaMethodCall> treeToString = DescribedPredicate.describe("toString() on a Jackson tree node",
                call -> call.getName().equals("toString") && call.getTarget().getRawParameterTypes().isEmpty()
                        && isJacksonTree(call.getTargetOwner().getName()));
        return noClasses().should().callMethodWhere(treeToString)
                .because("a JSON tree is written with Json.string, through the shared buffer pool, not a per-thread one");
    }

    private static boolean isJacksonTree(String className) {
        return className.equals("com.fasterxml.jackson.databind.JsonNode")
                || className.startsWith("com.fasterxml.jackson.databind.node.");
    }

    /** Every package is a slice of its own, nested ones included: dialect and dialect.anthropic may not import each other either. */
    private static ArchRule packagesAreFreeOfCycles(String root) {
        return slices().matching(root + ".(**)")
                .should().beFreeOfCycles()
                .because("packages form layers (see docs/architecture.md); a cycle makes two of them one");
    }

    private static ArchRule coreIsPlatformFree(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN_IN_CORE)
                .because("shared/ is the platform-neutral core: no AWS, Azure or Spring import, ever");
    }

    private static ArchRule dialectsDoNotDependOnProviders(String root, DescribedPredicate<Dependency> exempt) {
        String provider = root + ".provider";
        DescribedPredicate<Dependency> notOnAProvider = DescribedPredicate.describe("target outside " + provider + "..",
                d -> !inPackageTree(d.getTargetClass().getPackageName(), provider));
        return classes().that().resideInAPackage(root + ".dialect..")
                .should(ArchConditions.onlyHaveDependenciesWhere(notOnAProvider.or(exempt)))
                .because("adding a dialect touches one package; dialects reach upstreams only through routing");
    }

    private static ArchRule providersAreIndependent(String root) {
        return slices().matching(root + ".provider.(*)..")
                .should().notDependOnEachOther()
                .because("adding a provider touches one package; one provider never imports another");
    }

    private static final DescribedPredicate<Dependency> NOTHING = DescribedPredicate.describe("nothing", d -> false);

    private static boolean inPackageTree(String packageName, String root) {
        return packageName.equals(root) || packageName.startsWith(root + ".");
    }

}
