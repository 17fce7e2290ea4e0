package io.llmgw.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finding 8 of the hardening issue, the other side of the type checks: every request a real
 * client was captured sending (all of {@code fixtures/real-clients}, whatever is added later) is
 * still accepted, so the checks refuse only what the dialects' references refuse.
 */
class FixturesPassTypeChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream chat;
    private static FakeUpstream anthropic;
    private static CoreGateway core;

    @BeforeAll
    static void start() {
        chat = FakeUpstream.start().handler(ChatScript.text("chat answer").handler());
        anthropic = FakeUpstream.start().handler(request -> request.path().endsWith("/count_tokens")
                ? io.llmgw.testing.Reply.json(200, "{\"input_tokens\":12}")
                : AnthropicScript.text("anthropic answer").reply(request));
        core = new CoreGateway("""
                auth: { mode: gateway, keys: ["${KEY}"] }
                providers:
                  chat: { type: openai, base_url: "%s/v1", api_key: "${UP_KEY}" }
                  anth: { type: anthropic, base_url: "%s", api_key: "${UP_KEY}" }
                models:
                  "claude-*": { deployments: [ { provider: anth } ] }
                  "*": { deployments: [ { provider: chat } ] }
                """.formatted(chat.baseUrl(), anthropic.baseUrl())).closing(chat, anthropic);
    }

    @AfterAll
    static void stop() {
        core.close();
    }

    static Stream<String> fixtures() {
        return RealClientFixtures.names().stream();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyCapturedRequestIsAccepted(String fixture) throws Exception {
        for (FixtureRequest request : RealClientFixtures.load(fixture)) {
            List<String> headers = new ArrayList<>();
            request.headersWithKey(CoreGateway.KEY).forEach((name, value) -> {
                headers.add(name);
                headers.add(value);
            });
            BufferingSink sink = core.send(request.method(), request.target(),
                    request.body() == null ? null : JSON.writeValueAsString(request.body()), headers.toArray(String[]::new));
            String what = fixture + " " + request.method() + " " + request.target() + ": " + sink.bodyText();
            if (request.body() != null) {
                assertThat(sink.status()).as(what).isEqualTo(200);
            } else {
                // e.g. Codex's WebSocket upgrade, answered 426 by design; nothing without a body is a type error
                assertThat(sink.status()).as(what).isNotEqualTo(400).isLessThan(500);
            }
        }
    }
}
