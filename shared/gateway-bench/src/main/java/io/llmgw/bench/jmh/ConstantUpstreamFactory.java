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
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.testing.ChatScript;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Provider type {@code bench-constant}, for benchmarks only (registered by the bench jar, never by
 * the gateway): a chat-completions upstream in this process that answers every request with the
 * same bytes and headers the bench fake upstream sends for the benchmarks' short answer — a
 * completion, or for a streamed request its chunk stream (with the usage chunk when the request
 * asks for it) — made once, at no cost per request. A gateway with it measures its own work per
 * request and nothing of an upstream's.
 */
public final class ConstantUpstreamFactory extends AbstractProviderFactory {
    public static final String TYPE = "bench-constant";
    /** What {@code BenchUpstreamMain} answers, made by the same script. */
    private static final ChatScript SCRIPT = ChatScript.text("Hello! How can I help you today?").chunkSize(8).usage(20, 9);
    private static final byte[] COMPLETION = SCRIPT.completion().getBytes(StandardCharsets.UTF_8);
    private static final byte[] STREAM = sse(false);
    private static final byte[] STREAM_WITH_USAGE = sse(true);
    private static final byte[] STREAMED = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INCLUDE_USAGE = "\"include_usage\":true".getBytes(StandardCharsets.US_ASCII);
    private static final String SCHEME = "bench-constant";

    public ConstantUpstreamFactory() {
        super(TYPE, ConstantProvider::new);
    }

    @Override
    public ProviderSettings settings(SettingsBlock block) {
        return MockSettings.NONE;
    }

    /** The gateway writes the upstream's body compactly, so a streamed request has these exact bytes. */
    private static InProcessUpstream.Answer answer(UpstreamRequest request) {
        byte[] body = request.body();
        if (body == null || indexOf(body, STREAMED) < 0) {
            return new InProcessUpstream.Answer(200,
                    Headers.of("content-type", "application/json", "content-length", Integer.toString(COMPLETION.length)),
                    new ByteArrayInputStream(COMPLETION));
        }
        byte[] stream = indexOf(body, INCLUDE_USAGE) < 0 ? STREAM : STREAM_WITH_USAGE;
        return new InProcessUpstream.Answer(200, Headers.of("content-type", "text/event-stream"), new ByteArrayInputStream(stream));
    }

    private static byte[] sse(boolean includeUsage) {
        StringBuilder frames = new StringBuilder();
        SCRIPT.chunks(includeUsage).forEach(payload -> frames.append("data: ").append(payload).append("\n\n"));
        return frames.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static final class ConstantProvider extends ChatCompletionsProvider<MockSettings> {
        private static final InProcessUpstream SERVER = ConstantUpstreamFactory::answer;

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
