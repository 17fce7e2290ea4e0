package io.llmgw.core.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Signatures the gateway mints for thinking blocks whose reasoning came from a non-Anthropic
 * upstream (docs/protocol-mapping.md#pitfall-thinking-signatures). Anthropic clients expect every thinking block to carry a signature
 * and send it back unchanged; the token names where the reasoning came from (and carries that
 * provider's own opaque reasoning token, if any) so a later request can restore or strip it.
 * Such signatures must never reach Anthropic, which could not verify them.
 */
public final class GatewaySignatures {
    public static final String PREFIX = "gw1.";
    /** The provider type of Anthropic's own reasoning, as configuration spells it. */
    static final String ANTHROPIC = "anthropic";

    /**
     * A decoded gateway signature: the upstream family and its opaque reasoning token (or null);
     * {@code redacted} when the token is the data of an Anthropic redacted_thinking block.
     */
    public record Origin(String provider, String token, boolean redacted) {
        public Origin(String provider, String token) {
            this(provider, token, false);
        }
    }

    private GatewaySignatures() {}

    /** {@code gw1.} + base64url of {@code {"p":provider,"enc":token}}. */
    public static String mint(String provider, String token) {
        ObjectNode payload = Json.object().put("p", provider);
        if (token != null) {
            payload.put("enc", token);
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(payload));
    }

    /**
     * An Anthropic redacted_thinking block's data, where only one opaque string travels (a Responses
     * reasoning item's {@code encrypted_content}): marked so that it comes back as redacted_thinking
     * and not as a thinking block whose text was omitted, which carries its signature the same way.
     */
    public static String redacted(String data) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(
                Json.object().put("p", ANTHROPIC).put("enc", data).put("r", true)));
    }

    public static boolean isGatewayMinted(String signature) {
        return signature != null && signature.startsWith(PREFIX);
    }

    /** The origin in a gateway signature; null for any other signature or a damaged token. */
    public static Origin decode(String signature) {
        if (!isGatewayMinted(signature)) {
            return null;
        }
        try {
            byte[] json = Base64.getUrlDecoder().decode(signature.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII));
            JsonNode payload = Json.parse(json);
            String provider = Json.text(payload, "p");
            return provider == null ? null : new Origin(provider, Json.text(payload, "enc"), payload.path("r").asBoolean(false));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
