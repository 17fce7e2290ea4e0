package io.llmgw.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Context values are checked before anything is synthesized: a bad one names the key and what it takes. */
class SettingsTest {
    @Test
    void cdkJsonListsTheDefaultsTheCodeUses() {
        assertThat(Settings.from(TestApps.cdkJsonContext()::get)).isEqualTo(Settings.from(key -> null));
    }

    @Test
    void commandLineStringsAreParsedLikeJsonValues() {
        Settings s = Settings.from(Map.<String, Object>of("createStateTable", "true", "memory", "2048",
                "secretKeys", "PROXY_API_KEY, OPENAI_API_KEY", "environment", "BACKEND_URL=https://llm.example.com/v1/chat/completions")::get);
        assertThat(s.createStateTable()).isTrue();
        assertThat(s.lambdaMemoryMb()).isEqualTo(2048);
        assertThat(s.secretKeys()).containsExactly("PROXY_API_KEY", "OPENAI_API_KEY");
        assertThat(s.environment()).containsEntry("BACKEND_URL", "https://llm.example.com/v1/chat/completions");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "containerPlatform|fargate|containerPlatform",
            "architecture|arm|architecture",
            "memory|128|memory",
            "memory|lots|memory",
            "createStateTable|yes|createStateTable",
            "logRetentionDays|10|logRetentionDays",
            "urlAuthType|PUBLIC|urlAuthType",
            "secretArn|my-secret|secretArn",
            "secretKeys|proxy-key|secretKeys",
            "environment|AZURE_OPENAI_API_KEY=sk-123|environment",
            "environment|NOEQUALS|environment",
            "containerMemory|1000|containerCpu/containerMemory",
            "serviceName|x|serviceName"})
    void badValueNamesTheKey(String key, String value, String named) {
        Map<String, Object> context = new HashMap<>();
        context.put(key, value);
        assertThatThrownBy(() -> Settings.from(context::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context " + named);
    }

    @Test
    void appRunnerSizesAreChecked() {
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("containerPlatform", "apprunner", "containerCpu", "512",
                "containerMemory", "2048")::get)).hasMessageContaining("App Runner has no 512 CPU units with 2048 MiB");
        assertThat(Settings.from(Map.<String, Object>of("containerPlatform", "apprunner", "containerCpu", "1024",
                "containerMemory", "3072")::get).containerCpu()).isEqualTo(1024);
    }

    @Test
    void maxTasksBelowMinTasksIsRefused() {
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("minTasks", "3", "maxTasks", "2")::get))
                .hasMessageContaining("maxTasks (2) is below minTasks (3)");
    }

    @Test
    void aSecretValueIsNeverEchoedInTheMessage() {
        assertThatThrownBy(() -> Settings.from(Map.<String, Object>of("environment", Map.of("OPENAI_API_KEY", "sk-live-123"))::get))
                .hasMessageContaining("OPENAI_API_KEY").message().doesNotContain("sk-live-123");
    }

    @Test
    void appRunnerNotationForCpuAndMemory() {
        assertThat(List.of(AppRunnerService.vcpu(256), AppRunnerService.vcpu(1024), AppRunnerService.gigabytes(512),
                AppRunnerService.gigabytes(3072))).containsExactly("0.25 vCPU", "1 vCPU", "0.5 GB", "3 GB");
    }
}
