package io.llmgw.core.limits;

import static io.llmgw.core.limits.AccessHarness.ADMIN_KEY;
import static io.llmgw.core.limits.AccessHarness.ALICE;
import static io.llmgw.core.limits.AccessHarness.BOB;
import static io.llmgw.core.limits.AccessHarness.CAROL;
import static io.llmgw.core.limits.AccessHarness.chat;
import static io.llmgw.core.limits.AccessHarness.config;
import static io.llmgw.core.limits.AccessHarness.get;
import static io.llmgw.core.limits.AccessHarness.json;
import static io.llmgw.core.limits.AccessHarness.messages;
import static io.llmgw.core.limits.AccessHarness.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.Gateway;
import io.llmgw.core.auth.Identity;
import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.pipeline.ModelFilter;
import io.llmgw.core.stream.BufferingSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual keys: a name and team instead of a bare key, allowed models, expiry, and no admin rights. */
class VirtualKeyTest {
    @TempDir
    Path dir;

    private GatewayConfig keys() {
        return config(dir, "  virtual_keys:\n"
                + "    - { name: alice, key_sha256: " + sha256(ALICE) + ", team: platform, models: [\"gpt-*\"] }\n"
                + "    - { name: bob, key: " + BOB + ", team: research }\n"
                + "    - { name: carol, key_sha256: " + sha256(CAROL).toUpperCase() + ", expires: 2020-01-01 }\n"
                + "teams:\n  research: { models: [\"claude-*\", \"gpt-4o\"] }\n"
                + "providers: { m: { type: mock } }\nmodels: { \"*\": { deployments: [{ provider: m }] } }\n");
    }

    @Test
    void aVirtualKeyCallsAsItsNameAndTeamAndNeverAsItsKey() {
        List<Identity> seen = new ArrayList<>();
        ModelFilter observe = (call, chain) -> {
            seen.add(call.exchange().ctx().identity());
            chain.proceed(call);
        };
        try (Gateway gateway = new Gateway(keys(), Gateway.Options.defaults().withModelFilters(List.of(observe)))) {
            assertThat(chat(gateway, ALICE, "gpt-4o").status()).isEqualTo(200);
            assertThat(chat(gateway, BOB, "gpt-4o").status()).isEqualTo(200);
            assertThat(chat(gateway, ADMIN_KEY, "gpt-4o").status()).isEqualTo(200);
        }
        assertThat(seen).extracting(Identity::name).containsExactly("alice", "bob", "admin-...1234");
        assertThat(seen).extracting(Identity::team).containsExactly("platform", "research", null);
        assertThat(seen).extracting(Identity::kind).containsExactly("virtual_key", "virtual_key", "key");
    }

    @Test
    void anExpiredKeyIsRefusedSayingSo() {
        try (Gateway gateway = new Gateway(keys())) {
            BufferingSink expired = chat(gateway, CAROL, "gpt-4o");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(json(expired).at("/error/message").asText()).contains("expired at 2020-01-01T00:00:00Z");
            assertThat(expired.bodyText()).doesNotContain(CAROL);
        }
    }

    @Test
    void aKeyMayCallOnlyItsModelsAndItsTeamsInTheClientsDialect() {
        try (Gateway gateway = new Gateway(keys())) {
            assertThat(chat(gateway, ALICE, "gpt-4o-mini").status()).isEqualTo(200);
            BufferingSink refused = messages(gateway, ALICE, "claude-sonnet-4-5");
            assertThat(refused.status()).isEqualTo(403);
            JsonNode error = json(refused);
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.at("/error/type").asText()).isEqualTo("permission_error");
            assertThat(error.at("/error/message").asText()).contains("claude-sonnet-4-5");
            // bob has no list of his own; his team allows claude-* and exactly gpt-4o
            assertThat(messages(gateway, BOB, "claude-sonnet-4-5").status()).isEqualTo(200);
            assertThat(chat(gateway, BOB, "gpt-4o").status()).isEqualTo(200);
            BufferingSink notTeams = chat(gateway, BOB, "gpt-4o-mini");
            assertThat(notTeams.status()).isEqualTo(403);
            assertThat(json(notTeams).at("/error/code").asText()).isEqualTo("model_not_allowed");
        }
    }

    @Test
    void virtualKeysAreNotAdministrators() {
        try (Gateway gateway = new Gateway(keys())) {
            assertThat(get(gateway, ALICE, "/config").status()).isEqualTo(401);
            assertThat(get(gateway, ALICE, "/admin/usage").status()).isEqualTo(401);
            assertThat(get(gateway, ADMIN_KEY, "/config").status()).isEqualTo(200);
            assertThat(get(gateway, ADMIN_KEY, "/admin/usage").status()).isEqualTo(200);
        }
    }

    @Test
    void theUsageViewShowsEachKeysTokensAndCost() {
        GatewayConfig config = config(dir, "  virtual_keys:\n"
                + "    - { name: alice, key: " + ALICE + ", team: platform, budget: { usd: 5, period: day } }\n"
                + "teams:\n  platform: { budget: { tokens: 100000 } }\n"
                + "prices:\n  gpt-4o: { input_per_mtok: 2000, output_per_mtok: 4000 }\n"
                + "providers: { m: { type: mock } }\nmodels: { \"*\": { deployments: [{ provider: m }] } }\n");
        try (Gateway gateway = new Gateway(config)) {
            JsonNode answer = json(chat(gateway, ALICE, "gpt-4o"));
            long input = answer.at("/usage/prompt_tokens").asLong();
            long output = answer.at("/usage/completion_tokens").asLong();
            JsonNode usage = json(get(gateway, ADMIN_KEY, "/admin/usage"));
            assertThat(usage.path("store").asText()).isEqualTo("memory");
            JsonNode alice = usage.path("keys").get(0);
            assertThat(alice.path("name").asText()).isEqualTo("alice");
            assertThat(alice.at("/usage/period").asText()).isEqualTo("day");
            assertThat(alice.at("/usage/tokens").asLong()).isEqualTo(input + output);
            // $2000 and $4000 per million tokens: 0.002 per input token, 0.004 per output token
            double cost = input * 0.002 + output * 0.004;
            assertThat(alice.at("/usage/usd").asDouble()).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(alice.at("/usage/usd_remaining").asDouble()).isCloseTo(5 - cost, org.assertj.core.data.Offset.offset(1e-6));
            JsonNode team = usage.at("/teams/platform/usage");
            assertThat(team.path("period").asText()).isEqualTo("month");
            assertThat(team.path("tokens").asLong()).isEqualTo(input + output);
            assertThat(team.path("tokens_remaining").asLong()).isEqualTo(100000 - input - output);
            assertThat(usage.toString()).doesNotContain(ALICE);
        }
    }

    @Test
    void badVirtualKeysStopTheStartNamingTheEntry() {
        String tail = "providers: { m: { type: mock } }\nmodels: { \"*\": { deployments: [{ provider: m }] } }\n";
        assertThatThrownBy(() -> config(dir, "  virtual_keys:\n    - { name: a, key: " + ALICE + ", key_sha256: " + sha256(ALICE) + " }\n" + tail))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.virtual_keys[0]: give exactly one of 'key' or 'key_sha256'");
        assertThatThrownBy(() -> config(dir, "  virtual_keys:\n    - { name: a, key_sha256: abc }\n" + tail))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.virtual_keys[0].key_sha256: must be 64 hexadecimal digits");
        assertThatThrownBy(() -> config(dir, "  virtual_keys:\n    - { name: a, key: " + ALICE + " }\n    - { name: a, key: " + BOB + " }\n" + tail))
                .isInstanceOf(ConfigException.class).hasMessageContaining("names two virtual keys");
        assertThatThrownBy(() -> config(dir, "  virtual_keys:\n    - { name: a, key: short }\n" + tail))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.virtual_keys[0].key: a key must be 32 to 256")
                .message().doesNotContain("short");
        assertThatThrownBy(() -> config(dir, "  virtual_keys:\n    - { name: a, key: " + ALICE + ", limits: { requests_per_minute: ten } }\n" + tail))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.virtual_keys[0].limits.requests_per_minute: 'ten' is not a whole number");
        assertThatThrownBy(() -> config(dir, "  virtual_keys:\n    - { name: a, key: " + ALICE + ", limits: { tokens_per_minute: 60000000001 } }\n" + tail))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth.virtual_keys[0].limits.tokens_per_minute: '60000000001' is not a whole number between 1 and 60000000000");
        assertThatThrownBy(() -> config(dir, "  mode: client\n  virtual_keys:\n    - { name: a, key: " + ALICE + " }\n" + tail))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.mode: client forwards");
        assertThatThrownBy(() -> config(dir, "limits:\n  per_model: { nope: { requests_per_minute: 1 } }\n" + tail))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("limits.per_model.nope: no such model");
        assertThatThrownBy(() -> config(dir, "limits:\n  trusted_proxies: [proxy.internal]\n" + tail))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("limits.trusted_proxies: 'proxy.internal' is not an IP address");
        GatewayConfig etcd = config(dir, "state: { store: etcd }\n" + tail);
        assertThatThrownBy(() -> new Gateway(etcd)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.store (or GATEWAY_STATE_STORE): 'etcd' is not available in this build; use one of memory");
    }
}
