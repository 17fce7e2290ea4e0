package io.llmgw.core.protocol.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.core.json.Json;
import io.llmgw.core.model.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link ChatChunk} reads of a chunk, case by case ({@link ChatChunkAgainstTreeTest} holds it to the tree code at large). */
class ChatChunkTest {
    private final ChatChunk chunk = ChatChunk.forDecoding();

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private ChatChunk read(String json) {
        assertThat(chunk.read(bytes(json))).as(json).isTrue();
        return chunk;
    }

    @Test
    void theScanHoldsTheReadingsOfTheVeryBytesItReadLastAndAccepted() {
        ChatChunk scan = ChatChunk.forRelay();
        byte[] first = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}".getBytes(StandardCharsets.UTF_8);
        assertThat(scan.read(first)).isTrue();
        assertThat(scan.holds(first)).isTrue();
        assertThat(scan.holds(first.clone())).as("equal bytes are not the bytes read").isFalse();
        assertThat(scan.holds(null)).isFalse();

        byte[] broken = "{\"choices\":".getBytes(StandardCharsets.UTF_8);
        assertThat(scan.read(broken)).isFalse();
        assertThat(scan.holds(broken)).isFalse();
        assertThat(scan.holds(first)).as("a refused read leaves nothing held").isFalse();
    }

    @Test
    void theFirstEventsErrorCheckLeavesItsReadingsInTheScanItIsGiven() {
        ChatChunk scan = ChatChunk.forRelay();
        io.llmgw.core.stream.SseEvent first = new io.llmgw.core.stream.SseEvent(null,
                "{\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(OpenAiErrors.beforeStream(first, scan)).isNull();
        assertThat(scan.holds(first.data())).isTrue();
        assertThat(scan.model()).isEqualTo("gpt-4o");
    }

    @Test
    void aContentChunkAsOpenAiSendsIt() {
        read("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1760000000,"model":"gpt-4o-2024-08-06",
                 "service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":" naïve 😀"},
                 "logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"abc"}""");

        assertThat(chunk.hasError()).isFalse();
        assertThat(chunk.id()).isEqualTo("chatcmpl-1");
        assertThat(chunk.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(chunk.usage()).isNull();
        assertThat(chunk.choiceCount()).isOne();
        ChatChunkChoice choice = chunk.choice(0);
        assertThat(choice.index()).isZero();
        assertThat(choice.content()).isEqualTo(" naïve 😀");
        assertThat(choice.reasoning()).isNull();
        assertThat(choice.deltaCarriesSomething()).isTrue();
        assertThat(choice.hasFinishReason()).isFalse();
        assertThat(choice.hasLogprobs()).isFalse();
        assertThat(choice.toolCallCount()).isZero();
    }

    @Test
    void fieldsOfTheWrongTypeReadAsAbsent() {
        read("""
                {"id":7,"model":{"name":"gpt-4o"},"usage":[1,2],"choices":[{"index":"2","delta":{"content":5,"reasoning":[]},
                 "finish_reason":1,"stop_reason":151645},"text",null]}""");

        assertThat(chunk.id()).isNull();
        assertThat(chunk.model()).isNull();
        assertThat(chunk.usage()).isNull();
        assertThat(chunk.choiceCount()).isEqualTo(3);
        ChatChunkChoice first = chunk.choice(0);
        assertThat(first.index()).as("numeric text counts, as asInt(0) reads it").isEqualTo(2);
        assertThat(first.content()).isNull();
        assertThat(first.reasoning()).isNull();
        assertThat(first.deltaCarriesSomething()).as("a number is something").isTrue();
        assertThat(first.hasFinishReason()).isTrue();
        assertThat(first.finishReason()).isNull();
        assertThat(first.stopReason()).isNull();
        for (int i = 1; i < 3; i++) {
            assertThat(chunk.choice(i).index()).isZero();
            assertThat(chunk.choice(i).deltaCarriesSomething()).isFalse();
            assertThat(chunk.choice(i).hasFinishReason()).isFalse();
        }
        assertThat(read("{\"choices\":{\"0\":{\"delta\":{\"content\":\"x\"}}}}").choiceCount()).as("choices as an object").isZero();
    }

    @Test
    void nullsAreNothing() {
        read("""
                {"id":null,"error":null,"usage":null,"choices":[{"index":null,"delta":{"role":null,"content":null,"tool_calls":null},
                 "logprobs":null,"finish_reason":null}]}""");

        assertThat(chunk.hasError()).isFalse();
        assertThat(chunk.usage()).isNull();
        ChatChunkChoice choice = chunk.choice(0);
        assertThat(choice.deltaCarriesSomething()).isFalse();
        assertThat(choice.hasFinishReason()).isFalse();
        assertThat(choice.hasLogprobs()).isFalse();
        assertThat(read("{\"error\":\"boom\",\"choices\":[]}").hasError()).isTrue();
        assertThat(read("{\"error\":{}}").hasError()).isTrue();
    }

    @Test
    void unknownFieldsAreSkippedWhateverTheyHold() {
        read("""
                {"x":{"choices":[{"delta":{"content":"no"}}],"model":"inner"},"model":"gpt-4o",
                 "choices":[{"delta":{"audio":{"content":"no","tool_calls":[{"id":"no"}]},"content":"yes"},
                  "content_filter_results":{"hate":{"filtered":false}}}],"y":[[{"id":"no"}]]}""");

        assertThat(chunk.model()).isEqualTo("gpt-4o");
        assertThat(chunk.choiceCount()).isOne();
        assertThat(chunk.choice(0).content()).isEqualTo("yes");
        assertThat(chunk.choice(0).toolCallCount()).isZero();
    }

    @Test
    void theLastOfARepeatedKeyCounts() {
        read("""
                {"model":"a","model":"b","choices":[{"delta":{"content":"x"}}],
                 "choices":[{"delta":{"content":"y","content":null},"finish_reason":"stop","finish_reason":null}]}""");

        assertThat(chunk.model()).isEqualTo("b");
        assertThat(chunk.choiceCount()).isOne();
        assertThat(chunk.choice(0).content()).isNull();
        assertThat(chunk.choice(0).deltaCarriesSomething()).isFalse();
        assertThat(chunk.choice(0).hasFinishReason()).isFalse();
    }

    @Test
    void reasoningInEveryDeFactoField() {
        assertThat(read("{\"choices\":[{\"delta\":{\"reasoning_content\":\"a\",\"reasoning\":\"b\"}}]}").choice(0).reasoning()).isEqualTo("a");
        assertThat(read("{\"choices\":[{\"delta\":{\"reasoning_content\":null,\"reasoning\":\"b\"}}]}").choice(0).reasoning()).isEqualTo("b");
        assertThat(read("{\"choices\":[{\"delta\":{\"reasoning\":{\"content\":\"c\",\"text\":\"t\"}}}]}").choice(0).reasoning())
                .isEqualTo("t");
        assertThat(read("{\"choices\":[{\"delta\":{\"reasoning\":{\"content\":\"c\",\"text\":3}}}]}").choice(0).reasoning())
                .isEqualTo("c");
    }

    @Test
    void toolCallFragments() {
        read("""
                {"choices":[{"index":0,"delta":{"tool_calls":[
                  {"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""},
                   "extra_content":{"google":{"thought_signature":"SIG"}}},
                  {"index":1.0,"function":{"arguments":"{\\"city\\""}},
                  {"id":"call_b","function":{"name":"lookup","arguments":7}},
                  "stray"]}}]}""");

        ChatChunkChoice choice = chunk.choice(0);
        assertThat(choice.toolCallCount()).isEqualTo(4);
        ChatToolCallFragment opening = choice.toolCall(0);
        assertThat(opening.hasIntIndex()).isTrue();
        assertThat(opening.index()).isZero();
        assertThat(opening.id()).isEqualTo("call_a");
        assertThat(opening.name()).isEqualTo("get_weather");
        assertThat(opening.arguments()).isEmpty();
        assertThat(opening.thoughtSignature()).isEqualTo("SIG");
        ChatToolCallFragment piece = choice.toolCall(1);
        assertThat(piece.hasIndex()).isTrue();
        assertThat(piece.hasIntIndex()).as("1.0 is no int index").isFalse();
        assertThat(piece.arguments()).isEqualTo("{\"city\"");
        ChatToolCallFragment unnumbered = choice.toolCall(2);
        assertThat(unnumbered.hasIndex()).isFalse();
        assertThat(unnumbered.name()).isEqualTo("lookup");
        assertThat(unnumbered.arguments()).isNull();
        assertThat(choice.toolCall(3).isObject()).isFalse();
        assertThat(choice.toolCall(3).id()).isNull();
        assertThat(choice.hasToolCallWithoutIndex()).isTrue();
        assertThat(chunk.hasToolCallWithoutIndex()).isTrue();

        read("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":null,\"id\":\"call_c\"},\"stray\"]}}]}");
        assertThat(chunk.hasToolCallWithoutIndex()).as("an index key, even null, or no object: nothing to number").isFalse();
    }

    @Test
    void usageNumbersAsATreeReadsThem() {
        Usage usage = read("""
                {"choices":[],"usage":{"prompt_tokens":2460,"completion_tokens":12.9,"total_tokens":"x",
                 "prompt_tokens_details":{"cached_tokens":2048,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":4294967301}}}""").usage();

        assertThat(usage).isEqualTo(new Usage(2460, 12, 2048, null, 5));
        assertThat(read("{\"usage\":{}}").usage()).isEqualTo(Usage.NONE);
        assertThat(read("{\"usage\":{\"prompt_tokens\":\"5\",\"prompt_tokens_details\":[{\"cached_tokens\":1}],"
                + "\"prompt_tokens_details\":{\"cached_tokens\":3},\"completion_tokens_details\":{\"reasoning_tokens\":null}}}").usage())
                .isEqualTo(new Usage(null, null, 3, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "\"text\"", "5", "null", "{\"id\":\"a\"} {}", "{\"id\":\"a\"}x", "{\"id\":\"a\"",
        "{\"id\":\"a\",}", "{\"choices\":[{\"delta\":{\"content\":\"\\x\"}}]}"})
    void anythingButOneJsonObjectIsRefused(String json) {
        read("{\"id\":\"before\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}");

        assertThat(chunk.read(bytes(json))).isFalse();
        assertThat(chunk.id()).as("nothing of the chunk before is left").isNull();
        assertThat(chunk.choiceCount()).isZero();
    }

    @Test
    void badBytesInAStringNotReadStillRefuseTheChunk() {
        byte[] json = bytes("{\"model\":\"m\",\"x\":\"..\",\"choices\":[]}");
        json[new String(json, StandardCharsets.US_ASCII).indexOf("..") + 1] = (byte) 0xc3;  // a lead byte followed by a quote
        ChatChunk relay = ChatChunk.forRelay();

        assertThat(relay.read(json)).isFalse();
        assertThat(chunk.read(json)).isFalse();
    }

    @Test
    void aReusedChunkForgetsWhatTheLastOneHad() {
        read("{\"usage\":{\"prompt_tokens\":1},\"choices\":[{\"delta\":{\"content\":\"a\",\"tool_calls\":[{\"id\":\"c\"},{\"id\":\"d\"}]},"
                + "\"finish_reason\":\"stop\"},{\"index\":1}]}");
        read("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}");

        assertThat(chunk.usage()).isNull();
        assertThat(chunk.choiceCount()).isOne();
        ChatChunkChoice choice = chunk.choice(0);
        assertThat(choice.content()).isNull();
        assertThat(choice.finishReason()).isNull();
        assertThat(choice.toolCallCount()).isOne();
        assertThat(choice.toolCall(0).id()).isNull();
        assertThat(choice.hasToolCallWithoutIndex()).isFalse();
    }

    @Test
    void aLongChunkThenShorterOnes() {
        for (int choices : new int[] {20, 3, 12, 1}) {
            StringBuilder json = new StringBuilder("{\"choices\":[");
            for (int c = 0; c < choices; c++) {
                json.append(c == 0 ? "" : ",").append("{\"index\":").append(c).append(",\"delta\":{\"tool_calls\":[");
                for (int f = 0; f <= c; f++) {
                    json.append(f == 0 ? "" : ",").append("{\"index\":").append(f).append(",\"id\":\"").append(choices).append('-')
                            .append(c).append('-').append(f).append("\"}");
                }
                json.append("]}}");
            }
            read(json.append("]}").toString());

            assertThat(chunk.choiceCount()).isEqualTo(choices);
            for (int c = 0; c < choices; c++) {
                assertThat(chunk.choice(c).index()).isEqualTo(c);
                assertThat(chunk.choice(c).toolCallCount()).isEqualTo(c + 1);
                for (int f = 0; f <= c; f++) {
                    assertThat(chunk.choice(c).toolCall(f).id()).isEqualTo(choices + "-" + c + "-" + f);
                }
            }
        }
    }

    @Test
    void aRelayKeepsWhereTheModelIsInsteadOfTheTexts() {
        ChatChunk relay = ChatChunk.forRelay();
        byte[] json = bytes("{\"id\":\"c\",\"model\":\"gpt-4o-2024\\u002d08\",\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}");

        assertThat(relay.read(json)).isTrue();
        assertThat(relay.id()).isNull();
        assertThat(relay.choice(0).content()).isNull();
        assertThat(relay.choice(0).deltaCarriesSomething()).isTrue();
        assertThat(relay.model()).isEqualTo("gpt-4o-2024-08");
        Json.StringAt at = relay.modelAt();
        assertThat(new String(at.replacedBy(json, "gpt-4o"), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}");

        assertThat(relay.read(bytes("{\"model\":1,\"model\":\"b\"}"))).isTrue();
        assertThat(relay.model()).as("the tree's value").isEqualTo("b");
        assertThat(relay.modelAt()).as("what a rewrite of the first model field finds: no string").isNull();
    }
}
