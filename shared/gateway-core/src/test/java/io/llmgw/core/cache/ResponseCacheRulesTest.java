package io.llmgw.core.cache;

import static io.llmgw.core.cache.CacheHarness.json;
import static io.llmgw.core.cache.CacheHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.http.Headers;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.stream.StreamSink;
import io.llmgw.core.web.GatewayRequest;
import io.llmgw.testing.AnthropicScript;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.ChatStreams;
import io.llmgw.testing.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is kept and what is asked again: every field that changes the answer is part of the key and
 * nothing else is; the client's {@code Cache-Control} is honoured; failed, cut-off, abandoned and
 * tool-calling answers are not kept (tool calls when configured), nor answers the canonical model
 * cannot hold whole.
 */
class ResponseCacheRulesTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String MESSAGES = "/v1/messages";

    private CacheHarness harness;
    private String question;

    @BeforeEach
    void start() {
        harness = new CacheHarness("cache: { enabled: true }\n");
        question = "What is kept? " + System.nanoTime();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private String chat(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]" + extra + "}";
    }

    private String messages(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]"
                + extra + "}";
    }

    @Test
    void aRequestDifferingOnlyInASamplingFieldMisses() {
        for (String model : List.of("gpt-cached", "claude-cached")) {  // passed through, translated
            int before = harness.calls();
            harness.post(CHAT, chat(model, ",\"temperature\":0.2"));
            BufferingSink other = harness.post(CHAT, chat(model, ",\"temperature\":0.3"));
            BufferingSink top = harness.post(CHAT, chat(model, ",\"temperature\":0.2,\"top_p\":0.9"));
            BufferingSink again = harness.post(CHAT, chat(model, ",\"temperature\":0.2"));
            assertThat(other.headers().first("x-gateway-cache")).isEqualTo("miss");
            assertThat(top.headers().first("x-gateway-cache")).isEqualTo("miss");
            assertThat(again.headers().first("x-gateway-cache")).isEqualTo("hit");
            assertThat(harness.calls() - before).as(model).isEqualTo(3);
        }
    }

    @Test
    void whatOnlyTheUpstreamsOwnApiTakesIsPartOfThePassthroughKey() {
        harness.post(CHAT, chat("gpt-cached", ",\"seed\":1"));
        assertThat(harness.post(CHAT, chat("gpt-cached", ",\"seed\":2")).headers().first("x-gateway-cache")).isEqualTo("miss");
        assertThat(harness.post(CHAT, chat("gpt-cached", ",\"seed\":1")).headers().first("x-gateway-cache")).isEqualTo("hit");
    }

    @Test
    void theAnthropicBetasThatTravelUpstreamArePartOfThePassthroughKey() {
        String body = messages("claude-cached", "");
        BufferingSink plain = harness.post(MESSAGES, body);
        BufferingSink beta = harness.post(MESSAGES, body, "anthropic-beta", "interleaved-thinking-2025-05-14,context-1m-2025-08-07");
        BufferingSink sameBetas = harness.post(MESSAGES, body, "anthropic-beta", "context-1m-2025-08-07",
                "anthropic-beta", " interleaved-thinking-2025-05-14");
        BufferingSink plainAgain = harness.post(MESSAGES, body);
        assertThat(plain.headers().first("x-gateway-cache")).isEqualTo("miss");
        assertThat(beta.headers().first("x-gateway-cache")).as("a beta changes what the upstream answers").isEqualTo("miss");
        assertThat(sameBetas.headers().first("x-gateway-cache")).as("the same betas, in another order").isEqualTo("hit");
        assertThat(plainAgain.headers().first("x-gateway-cache")).isEqualTo("hit");
        assertThat(harness.calls()).isEqualTo(2);
        assertThat(harness.upstream.requests().get(1).header("anthropic-beta")).contains("interleaved-thinking-2025-05-14");
    }

    @Test
    void keyOrderStreamOptionsAndTheEndUserIdDoNotChangeTheKey() {
        harness.post(CHAT, chat("gpt-cached", ",\"temperature\":0.5,\"max_tokens\":50"));
        String reordered = "{\"max_tokens\":50,\"messages\":[{\"content\":\"" + question + "\",\"role\":\"user\"}],\"temperature\":0.5,"
                + "\"model\":\"gpt-cached\",\"user\":\"someone-else\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        BufferingSink hit = harness.post(CHAT, reordered);
        assertThat(hit.headers().first("x-gateway-cache")).isEqualTo("hit");
        ChatStreams.Summary stream = ChatStreams.check(text(hit), true);
        assertThat(stream.usage().path("prompt_tokens").asInt()).as("the stored usage, as the client asked for it").isEqualTo(12);
        assertThat(stream.usage().path("completion_tokens").asInt()).isEqualTo(7);
        assertThat(harness.calls()).isEqualTo(1);
    }

    @Test
    void translatedRequestsOfTwoDialectsAskingTheSameShareAnEntry() {
        BufferingSink anthropic = harness.post(MESSAGES, messages("gpt-cached", ""));
        BufferingSink responses = harness.post("/v1/responses", "{\"model\":\"gpt-cached\",\"max_output_tokens\":100,\"input\":\""
                + question + "\"}");
        assertThat(responses.headers().first("x-gateway-cache")).isEqualTo("hit");
        assertThat(json(responses).at("/output/0/content/0/text").asText()).isEqualTo(json(anthropic).at("/content/0/text").asText());
        assertThat(harness.calls()).isEqualTo(1);
    }

    @Test
    void aResponseAnsweredFromTheCacheIsStoredAndCanBeContinued() {
        String ask = "{\"model\":\"gpt-cached\",\"max_output_tokens\":100,\"input\":\"" + question + "\"}";
        harness.post("/v1/responses", ask);
        BufferingSink hit = harness.post("/v1/responses", ask);
        assertThat(hit.headers().first("x-gateway-cache")).isEqualTo("hit");
        String id = json(hit).path("id").asText();
        assertThat(json(hit).path("store").asBoolean()).as("kept for previous_response_id").isTrue();
        assertThat(harness.get(CacheHarness.KEY, "/v1/responses/" + id).status()).isEqualTo(200);

        BufferingSink next = harness.post("/v1/responses", "{\"model\":\"gpt-cached\",\"max_output_tokens\":100,"
                + "\"previous_response_id\":\"" + id + "\",\"input\":\"And then?\"}");
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.headers().first("x-gateway-cache")).as("a longer conversation: another question").isEqualTo("miss");
        JsonNode sent = harness.upstream.requests().get(harness.calls() - 1).json().path("messages");
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0).path("content").asText()).isEqualTo(question);
        assertThat(sent.get(1).path("content").asText()).as("the cached answer, as history").isEqualTo("The cached answer, from upstream.");
        assertThat(sent.get(2).path("content").asText()).isEqualTo("And then?");
    }

    @Test
    void noStoreBypassesTheCacheAndNoCacheOnlySkipsTheLookup() {
        BufferingSink bypass = harness.post(CHAT, chat("gpt-cached", ""), "cache-control", "no-store");
        assertThat(bypass.headers().first("x-gateway-cache")).isEqualTo("bypass");
        BufferingSink stillMiss = harness.post(CHAT, chat("gpt-cached", ""), "cache-control", "max-age=0, No-Cache");
        assertThat(stillMiss.headers().first("x-gateway-cache")).as("no-store kept nothing; no-cache does not look").isEqualTo("miss");
        BufferingSink hit = harness.post(CHAT, chat("gpt-cached", ""));
        assertThat(hit.headers().first("x-gateway-cache")).as("no-cache kept what it got").isEqualTo("hit");
        BufferingSink bypassAgain = harness.post(CHAT, chat("gpt-cached", ""), "cache-control", "no-store");
        assertThat(bypassAgain.headers().first("x-gateway-cache")).isEqualTo("bypass");
        assertThat(harness.calls()).isEqualTo(3);
    }

    @Test
    void aFailedAnswerIsNotKept() {
        AtomicInteger calls = new AtomicInteger();
        harness.chat = request -> calls.getAndIncrement() == 0
                ? Reply.json(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}")
                : ChatScript.text("Fine now.").reply(request);
        for (String path : List.of(CHAT, MESSAGES)) {  // passed through, translated
            calls.set(0);
            String body = path.equals(CHAT) ? chat("gpt-cached", "") : messages("gpt-cached", "");
            BufferingSink failed = harness.post(path, body);
            assertThat(failed.status()).isEqualTo(400);
            assertThat(failed.headers().first("x-gateway-cache")).as("a failed answer says so too").isEqualTo("miss");
            BufferingSink next = harness.post(path, body);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.headers().first("x-gateway-cache")).isEqualTo("miss");
            assertThat(harness.post(path, body).headers().first("x-gateway-cache")).isEqualTo("hit");
        }
    }

    @Test
    void aStreamCutOffOrEndedWithoutAFinishIsNotKept() {
        List<String> chunks = ChatScript.text("A long answer that will be cut off.").chunkSize(4).chunks(true);
        List<String> unfinished = chunks.subList(0, 4);  // role and three content chunks; no finish, no [DONE]
        for (String path : List.of(CHAT, MESSAGES)) {  // passed through, translated
            AtomicInteger calls = new AtomicInteger();
            harness.chat = request -> switch (calls.getAndIncrement()) {
                case 0 -> Reply.sse(chunks).resetAfterEvents(3);
                case 1 -> Reply.sse(unfinished);
                default -> ChatScript.text("A long answer that will be cut off.").reply(request);
            };
            String body = (path.equals(CHAT) ? chat("gpt-cached", "") : messages("gpt-cached", "")).replace("\"messages\"", "\"stream\":true,\"messages\"");
            int before = harness.calls();
            BufferingSink reset = harness.post(path, body);
            BufferingSink truncated = harness.post(path, body);
            assertThat(text(reset)).contains("error");
            assertThat(text(truncated)).contains("error");
            BufferingSink whole = harness.post(path, body);
            assertThat(whole.headers().first("x-gateway-cache")).as(path).isEqualTo("miss");
            assertThat(harness.post(path, body).headers().first("x-gateway-cache")).isEqualTo("hit");
            assertThat(harness.calls() - before).isEqualTo(3);
        }
    }

    @Test
    void anAnswerTheClientLeftBeforeTheEndOfIsNotKept() {
        harness.chat = ChatScript.text("An answer nobody read to the end.").chunkSize(3).handler();
        String body = chat("gpt-cached", ",\"stream\":true");
        StreamSink leaving = new LeavingSink(3);
        harness.gateway.handle(new GatewayRequest("POST", CHAT, null, Headers.of("content-type", "application/json",
                "authorization", "Bearer " + CacheHarness.KEY), body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", null), leaving);
        assertThat(harness.post(CHAT, body).headers().first("x-gateway-cache")).isEqualTo("miss");
        assertThat(harness.calls()).isEqualTo(2);
    }

    @Test
    void toolCallsAreNotKeptUnlessConfigured() {
        harness.chat = ChatScript.empty().toolCall("call_upstream1", "get_weather", "{\"city\":\"Paris\"}").handler();
        String body = chat("gpt-cached", ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"parameters\":{\"type\":\"object\"}}}]");
        harness.post(CHAT, body);
        assertThat(harness.post(CHAT, body).headers().first("x-gateway-cache")).isEqualTo("miss");
        assertThat(harness.calls()).isEqualTo(2);

        try (CacheHarness withTools = new CacheHarness("cache: { enabled: true, tool_calls: true }\n")) {
            withTools.chat = harness.chat;
            BufferingSink live = withTools.post(CHAT, body);
            BufferingSink hit = withTools.post(CHAT, body);
            assertThat(hit.headers().first("x-gateway-cache")).isEqualTo("hit");
            JsonNode call = json(hit).at("/choices/0/message/tool_calls/0");
            assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
            assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
            assertThat(call.path("id").asText()).as("a fresh id of the same kind").startsWith("call_")
                    .isNotEqualTo(json(live).at("/choices/0/message/tool_calls/0/id").asText());
            assertThat(json(hit).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
            assertThat(withTools.calls()).isEqualTo(1);
        }
    }

    @Test
    void aPassedThroughAnswerWithMoreThanTheCanonicalModelHoldsIsNotKept() {
        harness.chat = request -> {
            JsonNode completion;
            try {
                completion = io.llmgw.core.json.Json.MAPPER.readTree(ChatScript.text("With log probabilities.").completion());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) completion.at("/choices/0"))
                    .putObject("logprobs").putArray("content").addObject().put("token", "With").put("logprob", -0.1);
            return Reply.json(200, completion.toString());
        };
        String body = chat("gpt-cached", ",\"logprobs\":true");
        harness.post(CHAT, body);
        assertThat(harness.post(CHAT, body).headers().first("x-gateway-cache")).isEqualTo("miss");

        harness.anthropic = request -> Reply.json(200, """
                {"id":"msg_1","type":"message","role":"assistant","model":"real-claude","content":[
                  {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"weather"}},
                  {"type":"text","text":"It is sunny.","citations":[{"type":"web_search_result_location","url":"https://example.com"}]}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}}""");
        String messages = messages("claude-cached", "");
        harness.post(MESSAGES, messages);
        assertThat(harness.post(MESSAGES, messages).headers().first("x-gateway-cache")).isEqualTo("miss");
        assertThat(harness.calls()).isEqualTo(4);
    }

    @Test
    void aPassedThroughAnthropicStreamWithThinkingIsReplayedWithItsThinking() {
        harness.anthropic = AnthropicScript.empty().thinking("Let me think.", "sig-upstream-1").andText("Thought it through.").handler();
        String body = messages("claude-cached", ",\"stream\":true,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}");
        BufferingSink live = harness.post(MESSAGES, body);
        BufferingSink hit = harness.post(MESSAGES, body.replace(",\"stream\":true", ""));
        assertThat(hit.headers().first("x-gateway-cache")).isEqualTo("hit");
        io.llmgw.testing.AnthropicStreams.Summary stream = io.llmgw.testing.AnthropicStreams.check(text(live));
        assertThat(stream.blocks().get(0).type()).isEqualTo("thinking");
        JsonNode content = json(hit).path("content");
        assertThat(content.get(0).path("type").asText()).isEqualTo("thinking");
        assertThat(content.get(0).path("thinking").asText()).isEqualTo("Let me think.");
        assertThat(content.get(0).path("signature").asText()).as("a signature the next turn can send back").isNotEmpty();
        assertThat(content.get(1).path("text").asText()).isEqualTo("Thought it through.");
    }

    @Test
    void countTokensIsNeverCached() {
        String body = messages("gpt-cached", "");
        BufferingSink counted = harness.post("/v1/messages/count_tokens", body);
        assertThat(counted.status()).isEqualTo(200);
        assertThat(counted.headers().first("x-gateway-cache")).isEqualTo("bypass");
    }

    /** A client that reads {@code writes} frames and goes away. */
    private static final class LeavingSink implements StreamSink {
        private int writes;
        private final int leaveAfter;
        final List<byte[]> received = new ArrayList<>();

        LeavingSink(int leaveAfter) {
            this.leaveAfter = leaveAfter;
        }

        @Override
        public void start(int status, Headers headers) {}

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (++writes > leaveAfter) {
                throw new IOException("Broken pipe");
            }
            received.add(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
        }

        @Override
        public void flush() {}

        @Override
        public void complete() {}

        @Override
        public void fail(Throwable error) {}
    }
}
