package io.llmgw.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgw.core.fuzz.ClientAnswers.Dialect;
import io.llmgw.core.http.Headers;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The requests real clients sent ({@code fixtures/real-clients}: Claude Code, Codex CLI, the
 * OpenAI, Azure and Anthropic SDKs), each mutated a few times by {@link JsonMutations} and sometimes
 * with one header replaced, sent to its own endpoint on a gateway whose upstream is the built-in
 * mock: the answer is a 2xx or a 4xx in the client's dialect, never a 5xx.
 */
class MutatedClientRequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FuzzGateway GATEWAY = FuzzGateway.mock();
    private static final List<FixtureRequest> REQUESTS = RealClientFixtures.names().stream()
            .flatMap(name -> RealClientFixtures.load(name).stream())
            .filter(r -> r.method().equals("POST") && r.body() != null)
            .toList();
    private static final JsonMutations.Vocabulary VOCABULARY =
            JsonMutations.Vocabulary.of(REQUESTS.stream().map(FixtureRequest::body).toList());
    private static final List<String> HEADERS = List.of("content-type", "accept", "anthropic-version", "anthropic-beta",
            "openai-beta", "x-request-id", "x-stainless-timeout");

    @AfterAll
    static void close() {
        GATEWAY.close();
    }

    @FuzzTest
    void mutatedRealClientRequests(FuzzedDataProvider data) throws JsonProcessingException {
        FixtureRequest request = data.pickValue(REQUESTS);
        Headers headers = new Headers();
        request.headersWithKey(FuzzGateway.KEY).forEach(headers::add);
        if (data.consumeBoolean()) {
            headers.set(data.pickValue(HEADERS), data.consumeString(80));
        }
        JsonNode body = JsonMutations.apply(request.body(), data, VOCABULARY);
        String target = request.target();
        int query = target.indexOf('?');
        FuzzGateway.Answer answer = GATEWAY.send("POST", request.path(), query < 0 ? null : target.substring(query + 1), headers,
                JSON.writeValueAsBytes(body));
        ClientAnswers.assertClientAnswer(Dialect.of(request.path()), answer);
    }
}
