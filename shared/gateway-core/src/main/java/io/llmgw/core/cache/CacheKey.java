package io.llmgw.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.auth.Credential;
import io.llmgw.core.auth.Identity;
import io.llmgw.core.http.Headers;
import io.llmgw.core.json.Json;
import io.llmgw.core.pipeline.ModelCall;
import io.llmgw.core.spi.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The key of a call's cache entry: the SHA-256 of one normalised document of everything that
 * decides the answer — the model route, and the request as it goes upstream: on the translated
 * path the canonical request (so two dialects asking the same thing share an answer), on the
 * passthrough path the client's body with the dialect named (and, for Anthropic, the version and
 * betas that travel upstream with it). Left out is what only says how to
 * deliver the answer or who asked ({@code stream}, {@code stream_options}, {@code user},
 * {@code metadata}…); object keys are sorted, so their order does not matter. A caller that brings
 * its own upstream key is always kept apart by that key's hash (an answer its key did not get it
 * must not get), and with {@code per_key} every caller by its identity.
 */
final class CacheKey {
    /** Raised whenever what goes into a key or how an answer is stored changes: old entries then simply miss. */
    static final int VERSION = 2;
    /** Passthrough body fields that change how or for whom an answer is delivered, not what it says. */
    private static final Set<String> DELIVERY = Set.of("stream", "stream_options", "user", "metadata", "safety_identifier",
            "prompt_cache_key", "store");

    private CacheKey() {}

    static String of(ModelCall call, boolean perKey) {
        ObjectNode document = Json.object();
        document.put("v", VERSION);
        document.put("route", call.route().configuredName());
        if (call.canonical() != null) {
            ObjectNode request = Json.MAPPER.valueToTree(call.canonical());
            request.remove(List.of("stream", "user"));
            document.set("request", request);
        } else {
            document.put("dialect", call.dialect().logName());
            ObjectNode body = clientBody(call);
            body.remove(DELIVERY);
            document.set("body", body);
            if (call.dialect() == Dialect.ANTHROPIC_MESSAGES) {
                upstreamHeaders(document, call.exchange().request().headers());
            }
        }
        Credential credential = call.exchange().credential();
        if (credential != null && credential.forwardedKey() != null) {
            document.put("upstream_key", sha256(credential.forwardedKey().getBytes(StandardCharsets.UTF_8)));
        }
        if (perKey) {
            Identity identity = call.exchange().ctx().identity();
            document.put("caller", identity == null ? "" : identity.owner());  // unique per caller, unlike a plain key's masked name
        }
        return "rc:" + sha256(Json.bytes(sorted(document)));
    }

    /**
     * An Anthropic client's {@code anthropic-version} and {@code anthropic-beta} travel upstream with a passed-through body
     * and change the answer (a beta turns on interleaved thinking, a longer context, other tool versions): part of the key,
     * betas in sorted order since their order means nothing.
     */
    private static void upstreamHeaders(ObjectNode document, Headers headers) {
        String version = headers.first("anthropic-version");
        if (version != null) {
            document.put("anthropic_version", version.trim());
        }
        TreeSet<String> betas = new TreeSet<>();
        for (String header : headers.all("anthropic-beta")) {
            for (String beta : header.split(",")) {
                if (!beta.isBlank()) {
                    betas.add(beta.trim());
                }
            }
        }
        if (!betas.isEmpty()) {
            betas.forEach(document.putArray("anthropic_beta")::add);
        }
    }

    private static ObjectNode clientBody(ModelCall call) {
        try {
            return (ObjectNode) Json.parse(call.exchange().request().body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // parsed once already, as an object
        }
    }

    /** The same document with every object's keys in sorted order. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode copy = Json.object();
            for (String name : names) {
                copy.set(name, sorted(node.get(name)));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.NODES.arrayNode(node.size());
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
