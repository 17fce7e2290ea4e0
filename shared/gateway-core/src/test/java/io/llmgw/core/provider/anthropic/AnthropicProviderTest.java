package io.llmgw.core.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.http.Headers;
import io.llmgw.core.upstream.UpstreamRequest;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalResponse;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Role;
import io.llmgw.core.model.StopReason;
import io.llmgw.core.model.Usage;
import io.llmgw.core.spi.Deployment;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.spi.NativeBody;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest {
    private static final GatewayConfig.Provider PROVIDER = new GatewayConfig.Provider("a", "anthropic", null, Duration.ofSeconds(5),
            Duration.ofSeconds(30), null, new AnthropicSettings(URI.create("http://127.0.0.1:9999")));
    private static final Deployment DEPLOYMENT = new Deployment(PROVIDER, "claude-sonnet-4-5", null, null);
    private final AnthropicProvider upstream = new AnthropicProvider(PROVIDER);

    private static CanonicalRequest hello(boolean stream) {
        return new CanonicalRequest("m", null, List.of(new Message(Role.USER, List.of(new Block.Text("hi")))),
                null, null, null, null, null, null, null, null, null, null, stream, null);
    }

    @Test
    void apiKeysGoAsXApiKeyAndOAuthTokensAsBearer() {
        UpstreamRequest built = upstream.canonical(hello(false), DEPLOYMENT, "req_1").request();
        Headers key = upstream.sign(built, "sk-ant-api03-abc").headers();
        assertThat(key.first("x-api-key")).isEqualTo("sk-ant-api03-abc");
        assertThat(key.first("anthropic-version")).isEqualTo(AnthropicProvider.VERSION);

        Headers token = upstream.sign(built, "sk-ant-oat01-abc").headers();
        assertThat(token.first("authorization")).isEqualTo("Bearer sk-ant-oat01-abc");
        assertThat(token.contains("x-api-key")).isFalse();
    }

    @Test
    void translatedRequestsGoToMessagesWithTheGatewaysVersion() {
        UpstreamRequest sent = upstream.sign(upstream.canonical(hello(true), DEPLOYMENT, "req_1").request(), "sk-ant-api03-abc");

        assertThat(sent.uri()).isEqualTo(URI.create("http://127.0.0.1:9999/v1/messages"));
        assertThat(sent.headers().first("accept")).isEqualTo("text/event-stream");
        assertThat(sent.headers().first("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.headers().contains("anthropic-beta")).isFalse();
        assertThat(upstream.probeRequest().uri()).isEqualTo(URI.create("http://127.0.0.1:9999/v1/models"));
    }

    @Test
    void passedThroughRequestsKeepTheClientsVersionAndBetas() {
        Headers client = Headers.of("anthropic-version", "2023-01-01", "anthropic-beta", "a-1", "anthropic-beta", "b-2");

        UpstreamRequest sent = upstream.sign(upstream.passthrough(new NativeBody(Dialect.ANTHROPIC_MESSAGES, true, null, new byte[0], false,
                client, "req_1"), DEPLOYMENT).request(), null);

        assertThat(sent.uri().getPath()).isEqualTo("/v1/messages/count_tokens");
        assertThat(sent.headers().first("anthropic-version")).isEqualTo("2023-01-01");
        assertThat(sent.headers().first("anthropic-beta")).isEqualTo("a-1,b-2");
        assertThat(sent.headers().contains("x-api-key")).isFalse();
    }

    @Test
    void aMessageDecodes() {
        String body = """
                {"id":"msg_1","type":"message","model":"claude-x","content":[
                  {"type":"thinking","thinking":"hmm","signature":"EqQB"},{"type":"redacted_thinking","data":"EmwK"},
                  {"type":"text","text":"Calling."},{"type":"server_tool_use","id":"srv","name":"web_search","input":{}},
                  {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":10,"cache_read_input_tokens":90,"cache_creation_input_tokens":0,"output_tokens":7}}""";
        CanonicalRequest request = new CanonicalRequest("m", null, List.of(), null, null, null, null, null, null, null, null, null, null,
                false, null);

        CanonicalResponse response = upstream.canonical(request, DEPLOYMENT, "req_1").decode(body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.content()).containsExactly(new Block.Thinking("hmm", "EqQB"), new Block.RedactedThinking("EmwK"),
                new Block.Text("Calling."), new Block.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(new Usage(100, 7, 90, 0, null));
    }
}
