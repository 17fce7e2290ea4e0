package io.llmgw.core.pipeline;

import io.llmgw.core.dialect.ClientDialect;
import io.llmgw.core.dialect.anthropic.MessagesDialect;
import io.llmgw.core.dialect.openai.chat.ChatDialect;
import io.llmgw.core.dialect.openai.responses.ResponsesDialect;
import io.llmgw.core.dialect.openai.responses.store.StoredResponsesEndpoint;
import io.llmgw.core.web.Routes;
import java.util.List;

/** The client APIs the gateway serves, each through the one pipeline, stored Responses, and the models list. */
public final class DialectRoutes {
    private DialectRoutes() {}

    public static void register(Routes routes, GatewayServices services) {
        for (ClientDialect dialect : List.of(new ChatDialect(), new ResponsesDialect(services.responseStore()), new MessagesDialect(false),
                new MessagesDialect(true))) {
            DialectEndpoint endpoint = new DialectEndpoint(dialect, services);
            dialect.paths().forEach(path -> routes.add(path, endpoint));
            dialect.pathPatterns().forEach((pattern, groups) -> routes.add(pattern, endpoint, groups));
            if (dialect.errorPrefix() != null) {
                routes.errorFormat(dialect.errorPrefix(), dialect.errors());
            }
        }
        for (boolean inputItems : new boolean[] {false, true}) {
            StoredResponsesEndpoint stored = new StoredResponsesEndpoint(services.responseStore(), inputItems);
            StoredResponsesEndpoint.paths(inputItems).forEach(pattern -> routes.add(pattern, stored, "id"));
        }
        ModelsEndpoint models = new ModelsEndpoint(services);
        routes.add("/v1/models", models);
        routes.add("/openai/v1/models", models);
    }
}
