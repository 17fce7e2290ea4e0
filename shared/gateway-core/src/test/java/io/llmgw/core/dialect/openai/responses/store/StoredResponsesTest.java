package io.llmgw.core.dialect.openai.responses.store;

import static io.llmgw.core.dialect.openai.responses.store.StoreHarness.ALICE;
import static io.llmgw.core.dialect.openai.responses.store.StoreHarness.BOB;
import static io.llmgw.core.dialect.openai.responses.store.StoreHarness.json;
import static io.llmgw.core.dialect.openai.responses.store.StoreHarness.terminal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.testing.ChatScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stored Responses through the gateway's own surface, in front of a chat-completions upstream: what is
 * kept, what {@code previous_response_id} sends upstream, who may see a response, and when it is gone.
 */
class StoredResponsesTest {
    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"}}}}]";

    private StoreHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aResponseIsReadBackAsItWasCreatedWithItsInputItems() {
        harness = new StoreHarness("");
        harness.upstream.handler(ChatScript.text("Hello there!").usage(21, 3).handler());

        ObjectNode created = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"instructions\":\"Be terse.\",\"input\":\"Say hello\"}"));

        assertThat(created.get("store").asBoolean()).isTrue();
        String id = created.get("id").asText();
        BufferingSink got = harness.get(ALICE, "/v1/responses/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(json(got)).isEqualTo(created);
        JsonNode items = json(harness.get(ALICE, "/v1/responses/" + id + "/input_items"));
        assertThat(items.get("object").asText()).isEqualTo("list");
        assertThat(items.get("data")).hasSize(1);
        JsonNode message = items.at("/data/0");
        assertThat(message.get("id").asText()).startsWith("msg_");
        assertThat(message.get("type").asText()).isEqualTo("message");
        assertThat(message.get("role").asText()).isEqualTo("user");
        assertThat(message.at("/content/0/type").asText()).isEqualTo("input_text");
        assertThat(message.at("/content/0/text").asText()).isEqualTo("Say hello");
        assertThat(items.get("first_id")).isEqualTo(message.get("id"));
        assertThat(items.get("last_id")).isEqualTo(message.get("id"));
        assertThat(items.get("has_more").asBoolean()).isFalse();
        // the Azure-style paths serve the same
        assertThat(json(harness.get(ALICE, "/openai/v1/responses/" + id))).isEqualTo(created);
    }

    @Test
    void aStreamedResponseIsStoredFromItsTerminalEventBeforeTheClientReadsIt() {
        harness = new StoreHarness("");
        harness.upstream.handler(ChatScript.text("Streaming works.").reasoning("Think first.").chunkSize(3).handler());

        BufferingSink stream = harness.post(ALICE, "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"Go\"}");

        ObjectNode completed = terminal(stream);
        assertThat(completed.get("status").asText()).isEqualTo("completed");
        assertThat(completed.get("store").asBoolean()).isTrue();
        assertThat(json(harness.get(ALICE, "/v1/responses/" + completed.get("id").asText()))).isEqualTo(completed);
        assertThat(completed.at("/output/0/type").asText()).isEqualTo("reasoning");
    }

    @Test
    void previousResponseIdSendsTheWholeHistoryButNotThePreviousInstructions() {
        harness = new StoreHarness("");
        harness.upstream.enqueue(ChatScript.text("Let me check.").toolCall("call_w1", "get_weather", "{\"city\":\"Paris\"}")::reply);
        harness.upstream.enqueue(ChatScript.text("It is 22C in Paris.")::reply);
        harness.upstream.enqueue(ChatScript.text("You are welcome.")::reply);

        ObjectNode first = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"instructions\":\"Be terse.\",\"input\":\"Weather in Paris?\","
                + TOOLS + "}"));
        assertThat(first.at("/output/1/type").asText()).isEqualTo("function_call");
        ObjectNode second = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"instructions\":\"Answer in French.\",\"previous_response_id\":\""
                + first.get("id").asText() + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"call_w1\",\"output\":\"22C\"}],"
                + TOOLS + "}"));

        JsonNode sent = harness.upstream.requests().get(1).json().get("messages");
        assertThat(sent).hasSize(4);
        assertThat(sent.at("/0/role").asText()).isEqualTo("system");
        assertThat(sent.at("/0/content").asText()).isEqualTo("Answer in French.");
        assertThat(sent.at("/1/content").asText()).isEqualTo("Weather in Paris?");
        assertThat(sent.at("/2/role").asText()).isEqualTo("assistant");
        assertThat(sent.at("/2/content").asText()).isEqualTo("Let me check.");
        assertThat(sent.at("/2/tool_calls/0/id").asText()).isEqualTo("call_w1");
        assertThat(sent.at("/2/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(sent.at("/3/role").asText()).isEqualTo("tool");
        assertThat(sent.at("/3/content").asText()).isEqualTo("22C");
        assertThat(second.get("previous_response_id").asText()).isEqualTo(first.get("id").asText());
        assertThat(second.get("instructions").asText()).isEqualTo("Answer in French.");

        ObjectNode third = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"" + second.get("id").asText()
                + "\",\"input\":\"Thanks!\"}"));

        sent = harness.upstream.requests().get(2).json().get("messages");
        assertThat(sent).extracting(m -> m.get("role").asText()).containsExactly("user", "assistant", "tool", "assistant", "user");
        assertThat(sent.at("/3/content").asText()).isEqualTo("It is 22C in Paris.");
        assertThat(sent.at("/4/content").asText()).isEqualTo("Thanks!");
        JsonNode items = json(harness.get(ALICE, "/v1/responses/" + third.get("id").asText() + "/input_items?order=asc")).get("data");
        assertThat(items).extracting(i -> i.get("type").asText())
                .containsExactly("message", "message", "function_call", "function_call_output", "message", "message");
        assertThat(items).allSatisfy(item -> assertThat(item.get("id").asText()).isNotEmpty());
        assertThat(items.get(2).get("id")).isEqualTo(first.at("/output/1/id"));
    }

    @Test
    void onlyTheCallerWhoCreatedAResponseSeesIt() {
        harness = new StoreHarness("");
        harness.upstream.handler(ChatScript.text("Mine.").handler());
        String id = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"hi\"}")).get("id").asText();

        for (BufferingSink answer : List.of(harness.get(BOB, "/v1/responses/" + id), harness.get(BOB, "/v1/responses/" + id + "/input_items"),
                harness.delete(BOB, "/v1/responses/" + id))) {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(json(answer).at("/error/message").asText()).isEqualTo("Response with id '" + id + "' not found.");
            assertThat(json(answer).at("/error/type").asText()).isEqualTo("invalid_request_error");
        }
        BufferingSink continued = harness.post(BOB, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"" + id + "\",\"input\":\"and?\"}");
        assertThat(continued.status()).isEqualTo(400);
        assertThat(json(continued).at("/error/code").asText()).isEqualTo("previous_response_not_found");
        assertThat(harness.upstream.requests()).hasSize(1);
        // bob's delete removed nothing
        assertThat(harness.get(ALICE, "/v1/responses/" + id).status()).isEqualTo(200);
    }

    @Test
    void anUnknownPreviousResponseIsOpenAisError() {
        harness = new StoreHarness("");

        BufferingSink answer = harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"resp_nope\",\"input\":\"hi\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer).get("error")).isEqualTo(parse("{\"message\":\"Previous response with id 'resp_nope' not found.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"previous_response_id\",\"code\":\"previous_response_not_found\"}"));
        assertThat(harness.upstream.requests()).isEmpty();
    }

    @Test
    void afterDeleteTheIdIsGone() {
        harness = new StoreHarness("");
        harness.upstream.handler(ChatScript.text("Short-lived.").handler());
        String id = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"hi\"}")).get("id").asText();

        BufferingSink deleted = harness.delete(ALICE, "/v1/responses/" + id);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(json(deleted)).isEqualTo(parse("{\"id\":\"" + id + "\",\"object\":\"response.deleted\",\"deleted\":true}"));
        assertThat(harness.get(ALICE, "/v1/responses/" + id).status()).isEqualTo(404);
        assertThat(harness.delete(ALICE, "/v1/responses/" + id).status()).isEqualTo(404);
        assertThat(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"" + id + "\",\"input\":\"hi\"}").status())
                .isEqualTo(400);
    }

    @Test
    void aResponseExpiresAfterItsTtl() {
        harness = new StoreHarness("ttl: 1h");
        harness.upstream.handler(ChatScript.text("For an hour.").handler());
        String id = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"hi\"}")).get("id").asText();

        harness.clock.advance(Duration.ofMinutes(59));
        assertThat(harness.get(ALICE, "/v1/responses/" + id).status()).isEqualTo(200);
        harness.clock.advance(Duration.ofMinutes(2));

        assertThat(harness.get(ALICE, "/v1/responses/" + id).status()).isEqualTo(404);
        BufferingSink continued = harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"" + id + "\",\"input\":\"hi\"}");
        assertThat(json(continued).at("/error/code").asText()).isEqualTo("previous_response_not_found");
    }

    @Test
    void storeFalseKeepsNothing() {
        harness = new StoreHarness("");
        harness.upstream.handler(ChatScript.text("Not kept.").handler());

        ObjectNode created = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"store\":false,\"input\":\"hi\"}"));
        ObjectNode streamed = terminal(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"store\":false,\"stream\":true,\"input\":\"hi\"}"));

        for (ObjectNode response : List.of(created, streamed)) {
            assertThat(response.get("store").asBoolean()).isFalse();
            assertThat(harness.get(ALICE, "/v1/responses/" + response.get("id").asText()).status()).isEqualTo(404);
        }
        assertThat(harness.store.written).isEmpty();
        // a stored conversation can be continued without storing the new turn
        String kept = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"remember 42\"}")).get("id").asText();
        ObjectNode continued = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"store\":false,\"previous_response_id\":\"" + kept
                + "\",\"input\":\"what number?\"}"));
        assertThat(continued.get("store").asBoolean()).isFalse();
        assertThat(harness.upstream.lastRequest().json().get("messages")).extracting(m -> m.get("content").asText())
                .containsExactly("remember 42", "Not kept.", "what number?");
        assertThat(harness.store.written).hasSize(1);
    }

    @Test
    void turnedOffTheStoreKeepsNothingAndContinuingSaysWhy() {
        harness = new StoreHarness("enabled: false");
        harness.upstream.handler(ChatScript.text("Not kept.").handler());

        ObjectNode created = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"hi\"}"));
        BufferingSink continued = harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"" + created.get("id").asText()
                + "\",\"input\":\"hi\"}");

        assertThat(created.get("store").asBoolean()).isFalse();
        assertThat(harness.store.written).isEmpty();
        assertThat(continued.status()).isEqualTo(400);
        assertThat(json(continued).at("/error/message").asText()).contains("responses_store.enabled: false");
    }

    @Test
    void inputItemsPageByLimitOrderAndCursor() {
        harness = new StoreHarness("");
        harness.upstream.handler(ChatScript.text("ok").handler());
        StringBuilder input = new StringBuilder("[");
        for (int i = 1; i <= 5; i++) {
            input.append(i > 1 ? "," : "").append("{\"role\":\"user\",\"content\":\"m").append(i).append("\"}");
        }
        String id = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":" + input + "]}")).get("id").asText();
        String path = "/v1/responses/" + id + "/input_items";

        JsonNode newest = json(harness.get(ALICE, path + "?limit=2"));
        assertThat(texts(newest)).containsExactly("m5", "m4");
        assertThat(newest.get("has_more").asBoolean()).isTrue();
        JsonNode next = json(harness.get(ALICE, path + "?limit=2&after=" + newest.get("last_id").asText()));
        assertThat(texts(next)).containsExactly("m3", "m2");
        JsonNode oldest = json(harness.get(ALICE, path + "?order=asc&limit=10"));
        assertThat(texts(oldest)).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(oldest.get("has_more").asBoolean()).isFalse();
        JsonNode before = json(harness.get(ALICE, path + "?order=asc&limit=2&before=" + oldest.at("/data/4/id").asText()));
        assertThat(texts(before)).containsExactly("m3", "m4");
        for (String bad : List.of("?limit=0", "?limit=101", "?order=sideways", "?after=msg_unknown")) {
            BufferingSink refused = harness.get(ALICE, path + bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(json(refused).at("/error/param").asText()).as(bad).isEqualTo(bad.substring(1, bad.indexOf('=')));
        }
    }

    private static List<String> texts(JsonNode page) {
        List<String> texts = new ArrayList<>();
        page.get("data").forEach(item -> texts.add(item.at("/content/0/text").asText()));
        return texts;
    }

    private static JsonNode parse(String text) {
        try {
            return io.llmgw.core.json.Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
