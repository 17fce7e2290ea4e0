package io.llmgw.core.protocol;

import io.llmgw.core.model.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Tool names as upstreams accept them ({@code ^[a-zA-Z0-9_-]{1,64}$}): longer or odd names (e.g.
 * Claude Code's {@code mcp__server__tool}) become a 55-character prefix, {@code _} and 8 hex
 * digits of their SHA-256, and are restored on the way back. Deterministic, so the same name maps
 * the same way on every turn of a conversation. Only names that change are kept — a translated
 * stream holds its names for as long as it lasts, and most names (all of Claude Code's built-in
 * tools) go as they are.
 */
public final class ToolNames {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    public static final ToolNames NONE = new ToolNames(List.of());

    private final Map<String, String> toUpstream = new HashMap<>();
    private final Map<String, String> toClient = new HashMap<>();

    /** The names of a request's tools; {@link #NONE} when it has none. */
    public static ToolNames of(io.llmgw.core.model.CanonicalRequest request) {
        return request.hasTools() ? new ToolNames(request.tools()) : NONE;
    }

    public ToolNames(List<ToolDefinition> tools) {
        for (ToolDefinition tool : tools) {
            String upstream = shorten(tool.name());
            if (!Objects.equals(upstream, tool.name())) {
                toUpstream.put(tool.name(), upstream);
                toClient.put(upstream, tool.name());
            }
        }
    }

    /** The name to send upstream (also for names in history that are no longer in the tool list). */
    public String upstream(String clientName) {
        String known = toUpstream.get(clientName);
        return known != null ? known : shorten(clientName);
    }

    /** The client's original name for a name the upstream used; unknown names pass unchanged. */
    public String client(String upstreamName) {
        String known = toClient.get(upstreamName);
        return known != null ? known : upstreamName;
    }

    static String shorten(String name) {
        if (name == null || VALID.matcher(name).matches()) {
            return name;
        }
        String cleaned = name.replaceAll("[^a-zA-Z0-9_-]", "_");
        return cleaned.substring(0, Math.min(55, cleaned.length())) + "_" + hash(name);
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
