package io.llmgw.testprovider;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.spi.ProviderFactory;
import io.llmgw.core.spi.ProviderRegistry;
import io.llmgw.core.stream.BufferingSink;
import io.llmgw.provider.bedrock.BedrockFactory;
import io.llmgw.provider.bedrock.InProcessGateway;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.Reply;
import io.llmgw.testprovider.echo.EchoFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider is added by its own package plus one registration line, and nothing else: the {@code echo} type of
 * {@link io.llmgw.testprovider.echo} lives only in this module's tests and in one line of
 * {@code META-INF/services/io.llmgw.core.spi.ProviderFactory} on the test class path, yet the loader takes its
 * settings and the gateway serves requests through it. Every provider registered from outside the core (echo,
 * Bedrock) reaches the core only through the API a provider needs — the SPI, configuration, the canonical model,
 * the shared protocol codecs, the upstream request and stream types — never its routing, dialects or web layer,
 * and never another provider.
 */
class ProviderDiscoveryTest {
    private static final String SERVICES = "META-INF/services/" + ProviderFactory.class.getName();
    /** What a provider module may use of the core. */
    private static final List<String> PROVIDER_API = List.of("spi", "config", "model", "protocol", "upstream", "stream", "http",
            "error", "json").stream().map(p -> "io.llmgw.core." + p).toList();
    private static final String GATEWAY_KEY = "gw-provider-module-test-0123456789abcdef0";

    @TempDir
    Path dir;

    /** Every provider factory registered on the class path from outside the core, one per registration line. */
    private static List<String> registeredOutsideTheCore() throws IOException {
        List<String> found = new ArrayList<>();
        for (URL file : Collections.list(ProviderDiscoveryTest.class.getClassLoader().getResources(SERVICES))) {
            try (InputStream in = file.openStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String name = line.replaceAll("#.*", "").trim();
                    if (!name.isEmpty() && !name.startsWith("io.llmgw.core.")) {
                        found.add(name);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theRegistrationLineIsAllItTakesToBeFound() throws IOException {
        assertThat(registeredOutsideTheCore()).contains(EchoFactory.class.getName(), BedrockFactory.class.getName());
        assertThat(ProviderRegistry.get().factory("echo")).isInstanceOf(EchoFactory.class);
        assertThat(ProviderRegistry.get().factory("bedrock")).isInstanceOf(BedrockFactory.class);
        assertThat(ProviderRegistry.get().choices()).contains("echo").contains("bedrock").contains("openai");
    }

    @Test
    void theNewTypeIsConfiguredAndServesRequestsWithNoChangeToTheCore() throws IOException {
        try (FakeUpstream echo = FakeUpstream.start()) {
            echo.enqueue(Reply.json(200, "{\"text\":\"echo: hello\"}"));
            echo.enqueue(Reply.sse("{\"text\":\"echo: \"}", "{\"text\":\"streamed\"}", "{\"done\":true}"));
            GatewayConfig config = InProcessGateway.load(dir, """
                    auth: { mode: gateway, keys: ["%s"] }
                    providers:
                      loud: { type: echo, base_url: "%s", timeout: 5s }
                    models:
                      "*": { deployments: [ { provider: loud } ] }
                    """.formatted(GATEWAY_KEY, echo.baseUrl()));

            BufferingSink whole = send(config, "{\"model\":\"any\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
            BufferingSink streamed = send(config, "{\"model\":\"any\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}");

            assertThat(config.providers().get("loud").type()).isEqualTo("echo");
            assertThat(whole.status()).isEqualTo(200);
            JsonNode answer = new ObjectMapper().readTree(whole.body());
            assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("echo: hello");
            assertThat(echo.requests().get(0).json().get("say").asText()).isEqualTo("hello");
            assertThat(streamed.bodyText()).contains("\"content\":\"echo: \"").contains("\"content\":\"streamed\"").contains("[DONE]");
            assertThat(echo.requests().get(1).json().get("stream").asBoolean()).isTrue();
        }
    }

    /** The classes where the factory was loaded from (a module's jar or classes folder), so a module's own tests stay out. */
    @Test
    void providerModulesReachTheCoreOnlyThroughTheProviderApi() throws Exception {
        for (String factory : registeredOutsideTheCore()) {
            String own = factory.substring(0, factory.lastIndexOf('.'));
            URL location = Class.forName(factory).getProtectionDomain().getCodeSource().getLocation();
            JavaClasses module = new ClassFileImporter().importUrl(location);
            assertThat(module.contain(factory)).as(factory + " imported").isTrue();
            DescribedPredicate<Dependency> allowed = DescribedPredicate.describe("its own package, the provider API or a library",
                    d -> {
                        String target = d.getTargetClass().getPackageName();
                        return !target.startsWith("io.llmgw.") || inTree(target, own)
                                || PROVIDER_API.stream().anyMatch(api -> inTree(target, api));
                    });
            classes().that().resideInAPackage(own + "..").should(ArchConditions.onlyHaveDependenciesWhere(allowed))
                    .because("a provider is its own package plus one registration line").check(module);
        }
    }

    private static boolean inTree(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    private static BufferingSink send(GatewayConfig config, String body) {
        return InProcessGateway.post(config, "/v1/chat/completions", GATEWAY_KEY, body);
    }
}
