package io.llmgw.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.llmgw.azure.testing.FakeContext;
import io.llmgw.azure.testing.FakeRequest;
import io.llmgw.azure.testing.FakeResponse;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The package as Azure receives it: the staging folder azure-functions-maven-plugin wrote and the
 * zip made of it, checked file by file, and the function class loaded from the staged jars the way
 * the Java worker loads it — the worker supplies the Azure Functions library, everything else
 * comes from the package — then invoked.
 */
class StagedPackageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path staging = Path.of(System.getProperty("staging.directory"));
    private final Path zip = Path.of(System.getProperty("function.zip"));

    /** Child-first over the package; only com.microsoft.azure.functions comes from outside, as the worker provides it. */
    private static final class WorkerLikeLoader extends URLClassLoader {
        private static final String WORKER_PROVIDED = "com.microsoft.azure.functions.";

        WorkerLikeLoader(URL[] urls) {
            super("staged-function", urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(WORKER_PROVIDED)) {
                return Class.forName(name, false, StagedPackageIT.class.getClassLoader());
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void hostJsonServesTheRoutesAtTheRoot() throws IOException {
        JsonNode host = JSON.readTree(staging.resolve("host.json").toFile());
        assertThat(host.path("version").asText()).isEqualTo("2.0");
        assertThat(host.at("/extensions/http/routePrefix").isTextual()).isTrue();
        assertThat(host.at("/extensions/http/routePrefix").asText()).isEmpty();
    }

    @Test
    void aFunctionJsonPerRouteWithAnAnonymousHttpTrigger() throws IOException {
        Map<String, String> routes = FunctionsHarness.routes();
        try (Stream<Path> dirs = Files.list(staging)) {
            assertThat(dirs.filter(d -> Files.exists(d.resolve("function.json"))).map(d -> d.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(routes.keySet());
        }
        for (Map.Entry<String, String> route : routes.entrySet()) {
            Path functionJson = staging.resolve(route.getKey()).resolve("function.json");
            JsonNode function = JSON.readTree(functionJson.toFile());
            assertThat(function.path("entryPoint").asText()).isEqualTo(GatewayFunctions.class.getName() + "." + route.getKey());
            assertThat(functionJson.getParent().resolve(function.path("scriptFile").asText()).normalize()).isRegularFile();
            JsonNode trigger = function.at("/bindings/0");
            assertThat(trigger.path("type").asText()).isEqualTo("httpTrigger");
            assertThat(trigger.path("direction").asText()).isEqualTo("in");
            assertThat(trigger.path("route").asText()).isEqualTo(route.getValue());
            assertThat(trigger.path("authLevel").asText()).isEqualToIgnoringCase("anonymous");
            assertThat(trigger.path("methods")).as("every method reaches the gateway, which answers 405 itself").isEmpty();
            assertThat(function.at("/bindings/1/type").asText()).isEqualTo("http");
            assertThat(function.at("/bindings/1/name").asText()).isEqualTo("$return");
        }
    }

    @Test
    void libHoldsTheJarsWithoutNettyHttpOrAWebServer() throws IOException {
        List<String> jars = libJars().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(jars).anyMatch(j -> j.startsWith("gateway-core-")).anyMatch(j -> j.startsWith("gateway-keyvault-"))
                .anyMatch(j -> j.startsWith("gateway-state-redis-")).anyMatch(j -> j.startsWith("lettuce-core-"))
                .anyMatch(j -> j.startsWith("spring-cloud-function-adapter-azure-")).anyMatch(j -> j.startsWith("azure-identity-"))
                .anyMatch(j -> j.startsWith("azure-security-keyvault-secrets-")).anyMatch(j -> j.startsWith("azure-core-http-jdk-httpclient-"))
                .anyMatch(j -> j.startsWith("logback-classic-"));
        // Netty's transport comes with Lettuce (the Redis store's client); HTTP stays on the JDK's client
        assertThat(jars).noneMatch(j -> j.startsWith("azure-core-http-netty") || j.startsWith("reactor-netty")
                || j.startsWith("netty-codec-http") || j.contains("tomcat-embed-core") || j.startsWith("jetty-") || j.startsWith("spring-web")
                || j.startsWith("spring-boot-starter-web") || j.startsWith("jul-to-slf4j"));
        try (JarFile function = new JarFile(staging.resolve("gateway-azure-functions.jar").toFile())) {
            assertThat(function.getManifest().getMainAttributes().getValue("Start-Class")).isEqualTo(AzureGatewayApplication.class.getName());
        }
    }

    @Test
    void theZipIsTheStagingFolderAtItsRoot() throws IOException {
        TreeSet<String> staged = new TreeSet<>();
        try (Stream<Path> files = Files.walk(staging)) {
            files.filter(Files::isRegularFile).map(f -> staging.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !f.equals("local.settings.json")).forEach(staged::add);
        }
        TreeSet<String> zipped = new TreeSet<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            file.stream().filter(e -> !e.isDirectory()).forEach(e -> zipped.add(e.getName()));
        }
        assertThat(zipped).isEqualTo(staged).contains("host.json", "chatCompletions/function.json", "gateway-azure-functions.jar");
    }

    @Test
    void theRedisStoreFindsEntraSignInInThePackage() throws Exception {
        // what GATEWAY_REDIS_AUTH=entra (the Bicep template sets it with deployRedis) looks up
        try (WorkerLikeLoader loader = new WorkerLikeLoader(stagedJars())) {
            @SuppressWarnings("unchecked")
            Class<Object> sources = (Class<Object>) loader.loadClass("io.llmgw.state.redis.RedisCredentialsSource");
            List<Object> auths = new ArrayList<>();
            for (Object source : ServiceLoader.load(sources, loader)) {
                auths.add(sources.getMethod("auth").invoke(source));
            }
            assertThat(auths).containsExactly("entra");
        }
    }

    @Test
    void theFunctionClassLoadsFromTheStagedFolderAndAnswers() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (WorkerLikeLoader loader = new WorkerLikeLoader(stagedJars())) {
            thread.setContextClassLoader(loader);
            FunctionInstanceInjector injector = ServiceLoader.load(FunctionInstanceInjector.class, loader).findFirst().orElseThrow();
            assertThat(injector.getClass().getClassLoader()).as("the adapter from lib/").isSameAs(loader);
            Class<?> functionClass = loader.loadClass(GatewayFunctions.class.getName());
            assertThat(functionClass).isNotSameAs(GatewayFunctions.class);

            // No MAIN_CLASS here: the adapter finds the configuration through the function jar's manifest.
            Object functions = injector.getInstance(functionClass);

            assertThat(invoke(functions, "healthLive", FakeRequest.of("GET", "/health/live")).getStatusCode()).isEqualTo(200);
            assertThat(invoke(functions, "chatCompletions", FakeRequest.of("POST", "/v1/chat/completions").json("{}")).getStatusCode())
                    .isEqualTo(401);
            FakeResponse routed = invoke(functions, "chatCompletions", FakeRequest.of("POST", "/v1/chat/completions")
                    .header("authorization", "Bearer gw-azure-test-key-0123456789abcdef0123")
                    .json("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
            assertThat(routed.getStatusCode()).as("the build's BACKEND_URL is a closed port").isEqualTo(502);
            assertThat(JSON.readTree(routed.bodyText()).at("/error/message").asText()).isNotBlank();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static FakeResponse invoke(Object functions, String name, FakeRequest request) throws Exception {
        Method method = functions.getClass().getMethod(name, HttpRequestMessage.class, ExecutionContext.class);
        return FakeResponse.of((com.microsoft.azure.functions.HttpResponseMessage) method.invoke(functions, request, new FakeContext(name)));
    }

    private URL[] stagedJars() throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(staging.resolve("gateway-azure-functions.jar").toUri().toURL());
        for (Path jar : libJars()) {
            urls.add(jar.toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    private List<Path> libJars() throws IOException {
        try (Stream<Path> jars = Files.list(staging.resolve("lib"))) {
            return jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
