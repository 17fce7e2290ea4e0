package io.llmgw.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.llmgw.azure.testing.FakeContext;
import io.llmgw.azure.testing.FakeRequest;
import io.llmgw.azure.testing.FakeResponse;
import io.llmgw.core.LiveGateway;
import io.llmgw.testing.FakeUpstream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * The function class built as the Spring configuration builds it (from app settings), in front of
 * the fake upstream, and invoked the way the worker invokes it: through the annotated method of the
 * function the request's route selects.
 */
final class FunctionsHarness implements AutoCloseable {
    static final String GATEWAY_KEY = "gw-azure-key-0123456789abcdef0123456789";
    static final String UPSTREAM_KEY = "sk-upstream-secret-0123456789";

    final FakeUpstream upstream = FakeUpstream.start();
    final Map<String, String> env = new HashMap<>(Map.of(
            "PROXY_API_KEY", GATEWAY_KEY,
            "OPENAI_API_KEY", UPSTREAM_KEY,
            "OPENAI_BASE_URL", upstream.baseUrl() + "/v1"));
    private LiveGateway gateway;
    private GatewayFunctions functions;

    FunctionsHarness start() {
        return start(Runnable::run);
    }

    FunctionsHarness start(Executor refresher) {
        gateway = AzureGatewayApplication.gateway(env::get, Clock.systemUTC());
        functions = new GatewayFunctions(gateway, refresher);
        return this;
    }

    FunctionsHarness start(LiveGateway live, Executor refresher) {
        gateway = live;
        functions = new GatewayFunctions(live, refresher);
        return this;
    }

    /** Every function the class declares, by name, with its trigger's route. */
    static Map<String, String> routes() {
        Map<String, String> routes = new TreeMap<>();
        for (Method method : GatewayFunctions.class.getMethods()) {
            FunctionName name = method.getAnnotation(FunctionName.class);
            if (name != null) {
                HttpTrigger trigger = (HttpTrigger) Arrays.stream(method.getParameterAnnotations()[0])
                        .filter(HttpTrigger.class::isInstance).findFirst().orElseThrow();
                routes.put(name.value(), trigger.route());
            }
        }
        return routes;
    }

    FakeResponse call(String function, FakeRequest request) {
        return call(function, request, new FakeContext(function));
    }

    FakeResponse call(String function, FakeRequest request, FakeContext context) {
        try {
            Method method = GatewayFunctions.class.getMethod(function, HttpRequestMessage.class, ExecutionContext.class);
            return FakeResponse.of((HttpResponseMessage) method.invoke(functions, request, context));
        } catch (InvocationTargetException e) {
            throw new AssertionError("function " + function + " threw", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no function method " + function, e);
        }
    }

    FakeRequest authorized(String method, String path) {
        return FakeRequest.of(method, path).header("authorization", "Bearer " + GATEWAY_KEY);
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }
}
