package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Block;

/**
 * Which replayed reasoning may go back to Anthropic (docs/protocol-mapping.md#pitfall-thinking-signatures). Anthropic
 * verifies the signature of every thinking block in a request, and one it did not mint fails the
 * whole request with a 400; so only its own signatures are sent, and everything else is left out:
 * gateway tokens ({@code gw1.}) naming another upstream, reasoning with no signature at all (chat
 * upstreams sign nothing), and OpenAI's encrypted reasoning (a Fernet token, which always begins
 * {@code gAAAAA}) replayed by a Responses client that switched models mid-conversation. A gateway
 * token that carries Anthropic's own material is unwrapped. Applied to canonical blocks (translated
 * requests) and to Anthropic clients' own bodies on the way through. Amazon Bedrock's Claude models verify
 * signatures the same way against their own, so the same rule serves Bedrock with its own origin ({@link #forUpstream}).
 */
public final class ThinkingReplay {
    private static final String FERNET = "gAAAAA";

    private ThinkingReplay() {}

    /** The block to send Anthropic in place of {@code block}, or null to leave it out. */
    public static Block forAnthropic(Block block) {
        return forUpstream(block, GatewaySignatures.ANTHROPIC);
    }

    /**
     * The block to send an upstream that verifies Claude's signatures against its own in place of {@code block}, or
     * null to leave it out: gateway tokens are unwrapped when they name {@code origin} (the provider type that minted
     * the signature) or carry redacted data (which the Responses encoder marks as Anthropic's, whichever Claude host
     * produced it).
     */
    public static Block forUpstream(Block block, String origin) {
        return switch (block) {
            case Block.Thinking thinking -> thinking(thinking.text(), thinking.signature(), origin);
            case Block.RedactedThinking redacted -> redacted.data() == null || redacted.data().isEmpty()
                    || GatewaySignatures.isGatewayMinted(redacted.data()) ? null : redacted;
            default -> block;
        };
    }

    /**
     * Whether the last assistant turn of Anthropic {@code messages} calls tools without starting with
     * reasoning: with thinking on, Anthropic rejects that ("Expected `thinking` or
     * `redacted_thinking`, but found `tool_use`"), which is what a conversation that reaches
     * Anthropic from another upstream looks like once foreign reasoning is left out.
     */
    public static boolean lastToolTurnLacksThinking(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"assistant".equals(message.path("role").asText())) {
                continue;
            }
            boolean callsTools = false;
            for (JsonNode block : message.path("content")) {
                callsTools |= "tool_use".equals(block.path("type").asText());
            }
            String first = message.path("content").path(0).path("type").asText();
            return callsTools && !first.equals("thinking") && !first.equals("redacted_thinking");
        }
        return false;
    }

    private static Block thinking(String text, String signature, String upstream) {
        if (signature == null || signature.isBlank() || signature.startsWith(FERNET)) {
            return null;
        }
        if (!GatewaySignatures.isGatewayMinted(signature)) {
            return new Block.Thinking(text == null ? "" : text, signature);
        }
        GatewaySignatures.Origin origin = GatewaySignatures.decode(signature);
        if (origin == null || origin.token() == null || !(upstream.equals(origin.provider()) || origin.redacted())) {
            return null;
        }
        return origin.redacted() ? new Block.RedactedThinking(origin.token()) : thinking(text, origin.token(), upstream);
    }

    /**
     * A passed-through Messages body with the reasoning Anthropic cannot verify taken out (see
     * {@link #forAnthropic(Block)}). When that leaves the last tool turn without thinking while thinking
     * is on, thinking is turned off for this request, which Anthropic accepts. Null when the body can go
     * as it is — every body of a conversation Anthropic served throughout.
     */
    public static ObjectNode forAnthropic(ObjectNode body) {
        if (!hasForeign(body.path("messages"))) {
            return null;
        }
        ObjectNode copy = body.deepCopy();
        for (JsonNode message : copy.path("messages")) {
            if ("assistant".equals(message.path("role").asText()) && message.get("content") instanceof ArrayNode content) {
                for (int i = content.size() - 1; i >= 0; i--) {
                    Block replayed = replayed(content.get(i));
                    if (replayed != null) {
                        Block kept = forAnthropic(replayed);
                        if (kept == null) {
                            content.remove(i);
                        } else if (!kept.equals(replayed)) {
                            content.set(i, AnthropicBlocks.write(kept));
                        }
                    }
                }
            }
        }
        String thinking = Json.text(copy.path("thinking"), "type");
        if (thinking != null && !thinking.equals("disabled") && lastToolTurnLacksThinking(copy.path("messages"))) {
            copy.remove("thinking");
        }
        return copy;
    }

    private static boolean hasForeign(JsonNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                Block replayed = replayed(block);
                if (replayed != null && !replayed.equals(forAnthropic(replayed))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A thinking or redacted_thinking block as a canonical block; null for any other block (Anthropic judges malformed ones). */
    private static Block replayed(JsonNode block) {
        return switch (String.valueOf(Json.text(block, "type"))) {
            case "thinking" -> new Block.Thinking(block.path("thinking").asText(""), Json.text(block, "signature"));
            case "redacted_thinking" -> new Block.RedactedThinking(Json.text(block, "data"));
            default -> null;
        };
    }
}
