package io.llmgw.core.limits;

import io.llmgw.core.auth.Identity;
import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.AccessConfig.Budget;
import io.llmgw.core.config.AccessConfig.Limits;
import io.llmgw.core.config.AccessConfig.Policy;
import io.llmgw.core.http.AddressRange;
import io.llmgw.core.pipeline.ModelCall;
import java.util.ArrayList;
import java.util.List;

/**
 * One thing limits and budgets are counted for: a key (virtual key or JWT subject), a team, a
 * client address, a model, or the whole gateway. Its {@code id} names its counters in the state
 * store, so every instance counts the same thing under the same key.
 */
record Scope(String kind, String id, Limits limits, Budget budget) {

    /** The scopes of a call, most specific first. */
    static List<Scope> of(ModelCall call, AccessConfig access, List<AddressRange> trustedProxies) {
        List<Scope> scopes = new ArrayList<>(5);
        Identity identity = call.exchange().ctx().identity();
        if (identity != null && !identity.kind().equals("key")) {
            Policy policy = identity.policy();
            scopes.add(new Scope("key", (identity.kind().equals("jwt") ? "jwt:" : "key:") + identity.name(), policy.limits(),
                    policy.budget()));
        }
        Policy team = team(identity, access);
        if (team != null) {
            scopes.add(new Scope("team", "team:" + identity.team(), team.limits(), team.budget()));
        }
        if (access.perClientIp().any()) {
            String address = AddressRange.clientAddress(call.exchange().request().clientAddress(),
                    call.exchange().request().headers(), trustedProxies);
            scopes.add(new Scope("client_ip", "ip:" + (address == null ? "unknown" : address), access.perClientIp(), Budget.NONE));
        }
        Limits model = access.perModel().get(call.route().configuredName());
        if (model != null && model.any()) {
            scopes.add(new Scope("model", "model:" + call.route().configuredName(), model, Budget.NONE));
        }
        if (access.global().any()) {
            scopes.add(new Scope("global", "global", access.global(), Budget.NONE));
        }
        return scopes;
    }

    /** The configured team of an identity, or null. */
    static Policy team(Identity identity, AccessConfig access) {
        return identity == null || identity.team() == null ? null : access.teams().get(identity.team());
    }
}
