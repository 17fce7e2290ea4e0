package io.llmgw.lambda.apigateway;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequest;
import com.amazonaws.serverless.proxy.spring.SpringBootLambdaContainerHandler;
import com.amazonaws.serverless.proxy.spring.SpringBootProxyHandlerBuilder;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgw.core.config.load.ConfigLoader;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.secrets.SecretVariables;
import io.llmgw.lambda.secrets.SecretsClients;
import io.llmgw.lambda.secrets.SecretsManagerSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The buffered handler for API Gateway HTTP APIs (payload 2.0), on the stock Java runtime (no
 * wrapper): functions/app inside aws-serverless-java-container, so routes and behaviour are the
 * app's. API Gateway's HTTP APIs cannot stream a Lambda response, so a stream arrives as one
 * complete SSE body. Handler string: {@code io.llmgw.lambda.apigateway.HttpApiHandler::handleRequest}.
 *
 * <p>Configuration is the environment overlaid by the {@code GATEWAY_SECRET_ID} secret, read once
 * at init; a new key takes effect with the next environment (the streaming runtime refreshes in place).
 */
public final class HttpApiHandler implements RequestStreamHandler {
    private final SpringBootLambdaContainerHandler<HttpApiV2ProxyRequest, AwsProxyResponse> container;

    public HttpApiHandler() throws ContainerInitializationException {
        this(System::getenv, SecretsClients.DEFAULT);
    }

    public HttpApiHandler(Function<String, String> env, SecretsClients.Factory secretsClients) throws ContainerInitializationException {
        LambdaHttpApiApplication.CONFIG.set(load(env, secretsClients));
        container = new SpringBootProxyHandlerBuilder<HttpApiV2ProxyRequest>()
                .defaultHttpApiV2Proxy()
                .servletApplication()
                .springBootApplication(LambdaHttpApiApplication.class)
                .buildAndInitialize();
    }

    static GatewayConfig load(Function<String, String> env, SecretsClients.Factory secretsClients) {
        String secretId = env.apply("GATEWAY_SECRET_ID");
        if (secretId == null || secretId.isBlank()) {
            return ConfigLoader.load(env);
        }
        SecretVariables secret = new SecretVariables(new SecretsManagerSource(secretsClients.create(env), secretId), Clock.systemUTC());
        return ConfigLoader.load(SecretVariables.layered(env, secret.load()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        PowertoolsLogging.initializeLogging(context);
        if (context.getAwsRequestId() != null) {
            MDC.put("correlation_id", context.getAwsRequestId());
        }
        try {
            container.proxyStream(input, output, context);
        } finally {
            PowertoolsLogging.clearState(true);
            MDC.clear();
        }
    }
}
