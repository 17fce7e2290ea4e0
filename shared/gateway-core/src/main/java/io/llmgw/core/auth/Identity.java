package io.llmgw.core.auth;

import io.llmgw.core.config.AccessConfig.Policy;

/**
 * Who a request is, as limits, budgets, logs and metrics see it — never the key itself.
 *
 * @param name   the virtual key's name, the token's subject, or the masked key of a plain gateway key
 * @param team   the owner or team label, or null
 * @param kind   how the caller proved it: {@code key}, {@code virtual_key} or {@code jwt}
 * @param policy the allowed models, limits and budget that apply
 */
public record Identity(String name, String team, String kind, Policy policy) {
    public static Identity plainKey(String maskedKey) {
        return new Identity(maskedKey, null, "key", Policy.UNRESTRICTED);
    }
}
