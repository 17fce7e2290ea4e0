package io.llmgw.core.dialect.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.protocol.ToolNames;
import io.llmgw.core.protocol.openai.ChatOptions;
import io.llmgw.core.protocol.openai.ChatRequestEncoder;
import io.llmgw.testing.RealClientFixtures;
import io.llmgw.testing.RealClientFixtures.FixtureRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How far the local count_tokens answer is from what a chat upstream would report. No upstream is
 * reachable here, so the reference is computed on the chat-completions body the gateway would
 * actually send for each captured conversation, with OpenAI's published counting recipe applied
 * to that body (per message 3 tokens plus every string field, 3 to prime the reply, tool calls as
 * name + arguments + 3, the function namespace for tools). The local count works on the Anthropic
 * request instead, so the difference measures how faithfully it anticipates the upstream body.
 * The table lands in target/count-tokens-accuracy.md; the README quotes it.
 */
class TokenCountAccuracyTest {
    /**
     * The local count does not replay the chat encoding, so two structural differences remain:
     * the user message the gateway adds to carry a tool result's images or documents (4 tokens of
     * message overhead and 8 of its note, once per such tool result) and the separators between
     * joined text blocks (about 1 token each). Everything else is counted identically.
     */
    private static final double MAX_RELATIVE_ERROR = 0.01;
    private static final int MAX_ABSOLUTE_ERROR = 16;
    private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final String UPSTREAM_MODEL = "gpt-4o";

    private final StringBuilder table = new StringBuilder("| conversation | local count | reference | error |\n|---|---:|---:|---:|\n");
    private final List<String> outOfBound = new ArrayList<>();
    private double worst;

    @Test
    void localCountTracksTheUpstreamBodyOnEveryCapturedConversation() throws IOException {
        for (String fixture : RealClientFixtures.names()) {
            if (!fixture.startsWith("claude-code") && !fixture.startsWith("anthropic-sdk")) {
                continue;
            }
            int n = 0;
            for (FixtureRequest request : RealClientFixtures.load(fixture)) {
                if (request.body() != null) {
                    row(fixture + " #" + ++n + (request.path().endsWith("count_tokens") ? " count_tokens" : ""),
                            MessagesRequestDecoder.decode((ObjectNode) request.body().deepCopy()));
                }
            }
        }
        // Golden requests carry what the captures lack: images in tool results, documents, thinking, long tool names.
        try (var cases = Files.list(Path.of("src/test/resources/golden/anthropic-openai"))) {
            for (Path dir : cases.filter(d -> Files.exists(d.resolve("request.json"))).sorted().toList()) {
                JsonNode body = Json.parse(Files.readAllBytes(dir.resolve("request.json"))).get("body");
                try {
                    row("golden " + dir.getFileName(), MessagesRequestDecoder.decode((ObjectNode) body));
                } catch (RuntimeException invalid) {
                    // the cases that test rejections have nothing to count
                }
            }
        }
        table.append(String.format(Locale.ROOT, "%nworst relative error: %.2f%%%n", worst * 100));
        Path report = Path.of("target", "count-tokens-accuracy.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
        System.out.println(table);
        assertThat(outOfBound).isEmpty();
    }

    private void row(String name, CanonicalRequest canonical) {
        int local = TokenCounter.forModel(UPSTREAM_MODEL).count(canonical);
        ToolNames names = canonical.hasTools() ? new ToolNames(canonical.tools()) : ToolNames.NONE;
        int reference = reference(ChatRequestEncoder.encode(canonical, UPSTREAM_MODEL, new ChatOptions(true, false, null, true), names));
        int error = local - reference;
        double relative = (double) error / reference;
        worst = Math.max(worst, Math.abs(relative));
        table.append(String.format(Locale.ROOT, "| %s | %d | %d | %+d (%+.2f%%) |%n", name, local, reference, error, relative * 100));
        if (Math.abs(error) > MAX_ABSOLUTE_ERROR && Math.abs(relative) > MAX_RELATIVE_ERROR) {
            outOfBound.add(name + ": " + local + " vs " + reference);
        }
    }

    /** OpenAI's recipe over a chat-completions body (openai-cookbook "How to count tokens", with tools as openai-chat-tokens does). */
    static int reference(JsonNode body) {
        int tokens = 3;
        boolean system = false;
        for (JsonNode message : body.get("messages")) {
            tokens += 3;
            system |= message.path("role").asText().equals("system");
            for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) message::fields) {
                JsonNode value = field.getValue();
                if (value.isTextual()) {
                    tokens += O200K.countTokensOrdinary(value.textValue()) + (field.getKey().equals("name") ? 1 : 0);
                } else if (field.getKey().equals("content") && value.isArray()) {
                    for (JsonNode part : value) {
                        tokens += switch (part.path("type").asText()) {
                            case "text" -> O200K.countTokensOrdinary(part.get("text").asText());
                            case "image_url" -> TokenCounter.IMAGE_TOKENS;
                            default -> TokenCounter.PDF_PAGE_TOKENS;
                        };
                    }
                } else if (field.getKey().equals("tool_calls")) {
                    for (JsonNode call : value) {
                        tokens += 3 + O200K.countTokensOrdinary(call.at("/function/name").asText())
                                + O200K.countTokensOrdinary(call.at("/function/arguments").asText());
                    }
                }
            }
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null && choice.isObject()) {
            tokens += O200K.countTokensOrdinary(choice.at("/function/name").asText()) + 4;
        } else if (choice != null && choice.asText().equals("none")) {
            tokens += 1;
        }
        if (body.has("tools")) {
            List<ToolSchemaText.Function> functions = new ArrayList<>();
            for (JsonNode tool : body.get("tools")) {
                JsonNode f = tool.get("function");
                functions.add(new ToolSchemaText.Function(f.get("name").asText(), f.path("description").asText(null), f.get("parameters")));
            }
            tokens += O200K.countTokensOrdinary(ToolSchemaText.render(functions)) + ToolSchemaText.OVERHEAD_TOKENS - (system ? 4 : 0);
        }
        return tokens;
    }
}
