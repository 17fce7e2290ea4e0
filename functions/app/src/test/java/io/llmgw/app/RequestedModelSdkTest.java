package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.ResponsesModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import io.llmgw.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * openai-java on the passed-through paths — chat completions to chat upstreams, the Responses API to
 * an upstream that serves it natively — sees the model it asked for ({@code gpt-4o}), not the
 * deployment's ({@code gpt-4o-prod}) nor the dated name the upstream answers with; the deployment's
 * is in {@code x-gateway-upstream-model}. (The translated paths and the Anthropic SDK are covered by
 * their own SDK tests.)
 */
class RequestedModelSdkTest extends SdkAgainstFakeUpstream {
    private static final String DATED = "gpt-4o-prod-2024-11-20";
    private static final ChatCompletionCreateParams CHAT = ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi").build();

    @ParameterizedTest
    @ValueSource(strings = {"openai", "azure-openai"})
    void chatPassthroughNamesTheRequestedModel(String providerType) {
        OpenAIClient client = start(providerType);
        upstream.handler(quirks(providerType, ChatScript.text("Hello there.").model(DATED)).handler());

        HttpResponseFor<ChatCompletion> raw = client.withRawResponse().chat().completions().create(CHAT);
        List<String> streamed = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(CHAT.toBuilder()
                .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build())) {
            stream.stream().forEach(chunk -> streamed.add(chunk.model()));
        }

        assertThat(raw.parse().model()).isEqualTo("gpt-4o");
        assertThat(raw.headers().values("x-gateway-upstream-model")).containsExactly("gpt-4o-prod");
        assertThat(streamed).isNotEmpty().containsOnly("gpt-4o");
    }

    @Test
    void nativeResponsesPassthroughNamesTheRequestedModel() {
        upstream = FakeUpstream.start();
        gateway = TestGateway.start(TestGateway.singleUpstream("openai", upstream.baseUrl()).replace("    timeout: 5s\n",
                "    timeout: 5s\n    responses: native\n"));
        upstream.handler(RequestedModelSdkTest::nativeResponse);
        ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-4o").input("hi").build();

        HttpResponseFor<Response> raw = gateway.openAi().withRawResponse().responses().create(params);
        List<String> streamed = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = gateway.openAi().responses().createStreaming(params)) {
            stream.stream().forEach(event -> {
                event.created().ifPresent(e -> streamed.add(name(e.response().model())));
                event.completed().ifPresent(e -> streamed.add(name(e.response().model())));
            });
        }

        assertThat(name(raw.parse().model())).isEqualTo("gpt-4o");
        assertThat(raw.headers().values("x-gateway-upstream-model")).containsExactly("gpt-4o-prod");
        assertThat(streamed).containsExactly("gpt-4o", "gpt-4o");
        assertThat(upstream.lastRequest().path()).isEqualTo("/v1/responses");
        assertThat(upstream.lastRequest().json().get("model").asText()).isEqualTo("gpt-4o-prod");
    }

    private static String name(ResponsesModel model) {
        return model.isChat() ? model.asChat().asString() : model.isOnly() ? model.asOnly().asString() : model.asString();
    }

    /** What OpenAI's /responses answers, naming its dated model. */
    private static Reply nativeResponse(RecordedRequest request) {
        String response = "{\"id\":\"resp_up1\",\"object\":\"response\",\"created_at\":1760000000,\"status\":\"%s\",\"model\":\"" + DATED
                + "\",\"output\":[%s],\"parallel_tool_calls\":true,\"tool_choice\":\"auto\",\"tools\":[],\"error\":null,"
                + "\"incomplete_details\":null,\"instructions\":null,\"metadata\":{},\"temperature\":1.0,\"top_p\":1.0,\"usage\":%s}";
        String item = "{\"type\":\"message\",\"id\":\"msg_up1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"output_text\",\"text\":\"Hello there.\",\"annotations\":[]}]}";
        String usage = "{\"input_tokens\":5,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":3,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":8}";
        if (!request.wantsStream()) {
            return Reply.json(200, response.formatted("completed", item, usage));
        }
        return Reply.rawSse(List.of(
                "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                        + response.formatted("in_progress", "", "null") + "}\n\n",
                "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1,\"response\":"
                        + response.formatted("completed", item, usage) + "}\n\n"));
    }
}
