package io.llmgw.core.dialect.openai.responses.store;

import static io.llmgw.core.dialect.openai.responses.store.StoreHarness.ALICE;
import static io.llmgw.core.dialect.openai.responses.store.StoreHarness.json;
import static io.llmgw.core.dialect.openai.responses.store.StoreHarness.terminal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.auth.Identity;
import io.llmgw.core.json.Json;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.core.telemetry.Metrics;
import io.llmgw.testing.ChatScript;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stored Responses at their bounds: sizes, chain length, a store that fails, and encryption at rest. */
class StoredResponsesLimitsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aResponseOverMaxBytesIsAnsweredButNotStoredAndContinuingItSaysWhy() {
        harness = new StoreHarness("max_bytes: 16KB");
        harness.upstream.handler(ChatScript.text("Read it.").handler());

        ObjectNode created = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"" + "word ".repeat(4000) + "\"}"));

        assertThat(created.get("status").asText()).isEqualTo("completed");
        assertThat(created.get("store").asBoolean()).isFalse();
        assertThat(harness.metrics.notStored).containsExactly("too_large");
        String id = created.get("id").asText();
        assertThat(harness.get(ALICE, "/v1/responses/" + id).status()).isEqualTo(404);
        BufferingSink continued = harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"" + id + "\",\"input\":\"and?\"}");
        assertThat(continued.status()).isEqualTo(400);
        assertThat(json(continued).at("/error/code").asText()).isEqualTo("previous_response_not_found");
        assertThat(json(continued).at("/error/message").asText()).contains("was not stored", "larger than this gateway keeps");
    }

    @Test
    void theStoresItemLimitAppliesAfterCompression() {
        harness = new StoreHarness("");
        harness.store.maxValueBytes = 4096;
        harness.upstream.handler(ChatScript.text("Noted.").handler());

        // 12 KB that compresses to a few hundred bytes is kept; 12 KB of random text is not
        ObjectNode repetitive = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"" + "again ".repeat(2000) + "\"}"));
        byte[] noise = new byte[9000];
        RANDOM.nextBytes(noise);
        ObjectNode random = terminal(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\""
                + Base64.getEncoder().encodeToString(noise) + "\"}"));

        assertThat(repetitive.get("store").asBoolean()).isTrue();
        assertThat(harness.get(ALICE, "/v1/responses/" + repetitive.get("id").asText()).status()).isEqualTo(200);
        assertThat(random.get("status").asText()).isEqualTo("completed");
        assertThat(random.get("store").asBoolean()).isFalse();
        assertThat(harness.metrics.notStored).containsExactly("too_large");
    }

    @Test
    void aConversationThatWouldOutgrowMaxBytesIsRefusedBeforeTheUpstreamCall() {
        harness = new StoreHarness("max_bytes: 16KB");
        harness.upstream.handler(ChatScript.text("Fine.").handler());
        String id = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"" + "a".repeat(8000) + "\"}")).get("id").asText();

        BufferingSink continued = harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"" + id + "\",\"input\":\""
                + "b".repeat(9000) + "\"}");

        assertThat(continued.status()).isEqualTo(400);
        assertThat(json(continued).at("/error/code").asText()).isEqualTo("conversation_too_large");
        assertThat(json(continued).at("/error/param").asText()).isEqualTo("previous_response_id");
        assertThat(harness.upstream.requests()).hasSize(1);
    }

    @Test
    void aChainIsBoundedInLength() throws Exception {
        harness = new StoreHarness("");
        ResponseStore direct = new ResponseStore(harness.config.responsesStore(), harness.store, Metrics.NONE, harness.clock);
        ObjectNode response = Json.object().put("id", "resp_longchain").put("object", "response").put("status", "completed");
        response.putArray("output");
        String owner = Identity.plainKey("alice", MessageDigest.getInstance("SHA-256").digest(ALICE.getBytes(StandardCharsets.UTF_8))).owner();
        assertThat(direct.save(owner, new StoredResponse(response, Json.NODES.arrayNode(), 1000))).isEqualTo(ResponseStore.Saved.STORED);

        BufferingSink continued = harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"resp_longchain\",\"input\":\"more\"}");

        assertThat(continued.status()).isEqualTo(400);
        assertThat(json(continued).at("/error/code").asText()).isEqualTo("conversation_too_long");
        assertThat(harness.upstream.requests()).isEmpty();
    }

    @Test
    void aStoreThatCannotBeReachedFailsNoAnswerButCannotContinueOne() {
        harness = new StoreHarness("");
        harness.upstream.handler(ChatScript.text("Still here.").handler());
        String id = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"hi\"}")).get("id").asText();
        harness.store.down = true;

        ObjectNode answered = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"hi\"}"));
        BufferingSink continued = harness.post(ALICE, "{\"model\":\"gpt-4o\",\"previous_response_id\":\"" + id + "\",\"input\":\"hi\"}");
        BufferingSink read = harness.get(ALICE, "/v1/responses/" + id);

        assertThat(answered.get("status").asText()).isEqualTo("completed");
        assertThat(answered.get("store").asBoolean()).isFalse();
        assertThat(harness.metrics.notStored).containsExactly("store_failed");
        for (BufferingSink refused : new BufferingSink[] {continued, read}) {
            assertThat(refused.status()).isEqualTo(503);
            assertThat(json(refused).at("/error/code").asText()).isEqualTo("responses_store_unavailable");
            assertThat(refused.headers().first("retry-after")).isNotNull();
        }
        assertThat(harness.metrics.storeFailures).allMatch("responses_store"::equals).hasSize(3);
        harness.store.down = false;
        assertThat(harness.get(ALICE, "/v1/responses/" + id).status()).isEqualTo(200);
    }

    @Test
    void anEncryptionKeySealsRecordsAtRestAndOnlyThatKeyOpensThem() {
        String key = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');
        harness = new StoreHarness("encryption_key: \"" + key + "\"");
        harness.upstream.handler(ChatScript.text("The word is safe with me.").handler());

        ObjectNode created = json(harness.post(ALICE, "{\"model\":\"gpt-4o\",\"input\":\"The secret word is xylophone.\"}"));

        assertThat(created.get("store").asBoolean()).isTrue();
        byte[] atRest = harness.store.written.values().iterator().next();
        assertThat(new String(atRest, StandardCharsets.ISO_8859_1)).doesNotContain("xylophone", "safe with me", "resp_");
        String id = created.get("id").asText();
        ArrayNode items = (ArrayNode) json(harness.get(ALICE, "/v1/responses/" + id + "/input_items")).get("data");
        assertThat(items.get(0).at("/content/0/text").asText()).isEqualTo("The secret word is xylophone.");
        // another instance on the same store with another key, or none, finds nothing it can open
        String other = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'q');
        for (String section : new String[] {"encryption_key: \"" + other + "\"", ""}) {
            try (StoreHarness second = new StoreHarness(section, harness.store)) {
                assertThat(second.get(ALICE, "/v1/responses/" + id).status()).as(section).isEqualTo(404);
            }
        }
        assertThat(harness.get(ALICE, "/v1/responses/" + id).status()).isEqualTo(200);
    }
}
