package io.llmgw.bench.jmh;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.config.ProviderSettings;
import io.llmgw.core.config.SettingsBlock;
import io.llmgw.core.http.Headers;
import io.llmgw.core.protocol.openai.ChatCompletionsProvider;
import io.llmgw.core.provider.mock.MockSettings;
import io.llmgw.core.spi.AbstractProviderFactory;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.upstream.InProcessUpstream;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Provider type {@code bench-constant}, for benchmarks only (registered by the bench jar, never by
 * the gateway): a chat-completions upstream in this process that answers every request with the
 * same bytes and headers the bench fake upstream sends for a short non-streamed completion, at no
 * cost of its own. A gateway with it measures its own work per request and nothing of an upstream's.
 */
public final class ConstantUpstreamFactory extends AbstractProviderFactory {
    public static final String TYPE = "bench-constant";
    /** What {@code BenchUpstreamMain} answers to a non-streamed chat completion, byte for byte. */
    static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-fake1\",\"object\":\"chat.completion\",\"created\":1760000000,"
            + "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"Hello! How can I help you today?\",\"refusal\":null},\"logprobs\":null,"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9,\"total_tokens\":29,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String SCHEME = "bench-constant";

    public ConstantUpstreamFactory() {
        super(TYPE, ConstantProvider::new);
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        return MockSettings.NONE;
    }

    private static final class ConstantProvider extends ChatCompletionsProvider<MockSettings> {
        private static final InProcessUpstream SERVER = request -> new InProcessUpstream.Answer(200,
                Headers.of("content-type", "application/json", "content-length", Integer.toString(COMPLETION.length)),
                new ByteArrayInputStream(COMPLETION));

        ConstantProvider(GatewayConfig.Provider config) {
            super(config, MockSettings.class);
        }

        @Override
        protected URI chatCompletionsUri(Deployment deployment) {
            return URI.create(SCHEME + ":/chat/completions");
        }

        @Override
        protected URI modelsUri() {
            return URI.create(SCHEME + ":/models");
        }

        @Override
        public Map<String, InProcessUpstream> inProcess() {
            return Map.of(SCHEME, SERVER);
        }
    }
}
