package io.llmgw.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import io.llmgw.azure.testing.FakeContext;
import io.llmgw.azure.testing.FakeRequest;
import io.llmgw.azure.testing.FakeResponse;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.azure.AzureFunctionInstanceInjector;

/**
 * The worker's path: it finds spring-cloud-function-adapter-azure's instance injector through the
 * service loader and asks it for the function class; the adapter starts the Spring configuration
 * (the gateway from the environment, here the app settings the build sets) and hands back the bean.
 * The request log line reaches the invocation's own logger as an ECS JSON line carrying the
 * operation id.
 */
class SpringAdapterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "gw-azure-test-key-0123456789abcdef0123";  // PROXY_API_KEY in the build's test environment
    private static GatewayFunctions functions;

    @BeforeAll
    static void startThroughTheAdapter() throws Exception {
        // On Azure the function jar's manifest names the configuration; the test class path has no such jar.
        System.setProperty("MAIN_CLASS", AzureGatewayApplication.class.getName());
        FunctionInstanceInjector injector = ServiceLoader.load(FunctionInstanceInjector.class).findFirst().orElseThrow();
        assertThat(injector).isInstanceOf(AzureFunctionInstanceInjector.class);
        functions = injector.getInstance(GatewayFunctions.class);
        assertThat(injector.getInstance(GatewayFunctions.class)).as("one instance for every invocation").isSameAs(functions);
    }

    @AfterAll
    static void clear() {
        System.clearProperty("MAIN_CLASS");
    }

    @Test
    void theBeanServesTheGatewayBuiltFromTheEnvironment() throws Exception {
        assertThat(FakeResponse.of(functions.healthLive(FakeRequest.of("GET", "/health/live"), new FakeContext("healthLive")))
                .getStatusCode()).isEqualTo(200);

        FakeResponse anonymous = FakeResponse.of(functions.chatCompletions(FakeRequest.of("POST", "/v1/chat/completions")
                .json("{\"model\":\"gpt-4o\",\"messages\":[]}"), new FakeContext("chatCompletions")));
        assertThat(anonymous.getStatusCode()).isEqualTo(401);

        // BACKEND_URL is a closed loopback port: the routed request fails over to nothing and says so.
        FakeResponse routed = FakeResponse.of(functions.chatCompletions(FakeRequest.of("POST", "/v1/chat/completions")
                .header("authorization", "Bearer " + KEY)
                .json("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), new FakeContext("chatCompletions")));
        assertThat(routed.getStatusCode()).isEqualTo(502);
        assertThat(JSON.readTree(routed.bodyText()).at("/error/type").asText()).isNotBlank();
    }

    @Test
    void theRequestLogLineGoesToTheInvocationsLoggerAsJsonWithTheOperationId() throws Exception {
        FakeContext context = new FakeContext("healthReady");
        functions.healthReady(FakeRequest.of("GET", "/health/ready"), context);

        LogRecord line = context.records().stream().filter(r -> r.getMessage().contains("\"request\"")).findFirst().orElseThrow();
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        JsonNode json = JSON.readTree(line.getMessage());
        assertThat(json.path("message").asText()).isEqualTo("request");
        assertThat(json.at("/log/logger").asText()).isEqualTo("gateway.request");
        assertThat(json.path("request_id").asText()).isEqualTo(context.traceId());
        assertThat(json.at("/trace/id").asText()).isEqualTo(context.traceId());
        assertThat(json.at("/faas/execution").asText()).isEqualTo(context.getInvocationId());
        assertThat(json.path("path").asText()).isEqualTo("/health/ready");
        assertThat(json.path("status").asInt()).isEqualTo(200);
        assertThat(json.at("/service/name").asText()).isEqualTo("llm-gateway");
        assertThat(line.getMessage()).doesNotContain("\n");
    }
}
