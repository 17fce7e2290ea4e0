package io.llmgw.provider.bedrock;

import io.llmgw.core.config.ProviderSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code type: bedrock} provider's settings.
 *
 * @param region          the AWS Region requests are signed for (and, by default, sent to)
 * @param endpoint        the Bedrock runtime root: {@code https://bedrock-runtime.<region>.amazonaws.com}, or the
 *                        configured {@code endpoint} (a VPC endpoint, a proxy, a loopback fake in tests)
 * @param credentialChain whether requests are signed with the AWS default credential chain (no {@code api_key})
 */
public record BedrockSettings(String region, URI endpoint, boolean credentialChain) implements ProviderSettings {
    @Override
    public Map<String, String> view() {
        Map<String, String> view = new LinkedHashMap<>();
        view.put("region", region);
        view.put("endpoint", endpoint.toString());
        return view;
    }

    /** The AWS credential chain is a credential of the gateway's own, like a configured key. */
    @Override
    public boolean ambientCredentials() {
        return credentialChain;
    }

    /** The runtime endpoint AWS publishes for {@code region} (China's Regions are under {@code amazonaws.com.cn}). */
    static URI defaultEndpoint(String region) {
        return URI.create("https://bedrock-runtime." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : ""));
    }
}
