package io.llmgw.core.auth;

import io.llmgw.core.config.AccessConfig.Policy;
import java.util.HexFormat;

/**
 * Who a request is, as limits, budgets, logs and metrics see it — never the key itself.
 *
 * @param name   the virtual key's name, the token's subject, or the masked key of a plain gateway key
 * @param team   the owner or team label, or null
 * @param kind   how the caller proved it: {@code key}, {@code virtual_key} or {@code jwt}
 * @param policy the allowed models, limits and budget that apply
 * @param owner  who owns what the caller leaves behind (stored responses): stable across requests and
 *               unique per caller — {@code virtual_key:<name>}, {@code jwt:<subject>}, or for a plain
 *               key {@code key:<SHA-256 of the key in hex>}, since its masked form is neither unique
 *               nor safe to compare
 */
public record Identity(String name, String team, String kind, Policy policy, String owner) {
    /** A named identity (virtual key, token subject), owning under its kind and name. */
    public Identity(String name, String team, String kind, Policy policy) {
        this(name, team, kind, policy, kind + ":" + name);
    }

    public static Identity plainKey(String maskedKey, byte[] keySha256) {
        return new Identity(maskedKey, null, "key", Policy.UNRESTRICTED, "key:" + HexFormat.of().formatHex(keySha256));
    }
}
