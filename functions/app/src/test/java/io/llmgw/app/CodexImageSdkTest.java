package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputImage;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * openai-java's Responses API with a Codex-style screenshot ({@code detail: "original"}, valid only in
 * the Responses API) in front of chat-completions upstreams, which take {@code auto | low | high}: the
 * image reaches them at {@code high}, streamed and not, and the reasoning effort as one they take.
 */
class CodexImageSdkTest extends SdkAgainstFakeUpstream {
    private static final String PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private static ResponseCreateParams params() {
        ResponseInputItem.Message message = ResponseInputItem.Message.builder().role(ResponseInputItem.Message.Role.USER)
                .addInputTextContent("What is in this screenshot?")
                .addContent(ResponseInputImage.builder().detail(ResponseInputImage.Detail.ORIGINAL).imageUrl(PIXEL).build())
                .build();
        return ResponseCreateParams.builder().model("gpt-4o").inputOfResponse(List.of(ResponseInputItem.ofMessage(message)))
                .reasoning(Reasoning.builder().effort(ReasoningEffort.MINIMAL).build()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void originalDetailReachesChatUpstreamsAsHigh(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.handler(quirks(providerType, ChatScript.text("A red pixel.")).handler());

        Response created = client.responses().create(params());
        JsonNode createdUpstream = upstream.lastRequest().json();
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params())) {
            stream.stream().forEach(event -> event.outputTextDelta().ifPresent(d -> streamed.append(d.delta())));
        }

        assertThat(created.model().isChat() ? created.model().asChat().asString() : created.model().asString()).isEqualTo("gpt-4o");
        assertThat(streamed.toString()).isEqualTo("A red pixel.");
        for (JsonNode sent : List.of(createdUpstream, upstream.lastRequest().json())) {
            JsonNode image = sent.at("/messages/0/content/1/image_url");
            assertThat(image.get("url").asText()).isEqualTo(PIXEL);
            assertThat(image.get("detail").asText()).isEqualTo("high");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void theEffortIsOneTheUpstreamTakes(String providerType) {
        upstream = FakeUpstream.start();
        gateway = TestGateway.start(TestGateway.singleUpstream(providerType, upstream.baseUrl())
                .replace("model: gpt-4o-prod", "model: gpt-5-prod"));
        upstream.handler(quirks(providerType, ChatScript.text("A red pixel.")).handler());

        gateway.openAi().responses().create(params());

        // Azure takes OpenAI's whole scale; a compatible server (the fake is not api.openai.com) knows low | medium | high
        assertThat(upstream.lastRequest().json().get("reasoning_effort").asText())
                .isEqualTo(providerType.equals("azure-openai") ? "minimal" : "low");
    }
}
