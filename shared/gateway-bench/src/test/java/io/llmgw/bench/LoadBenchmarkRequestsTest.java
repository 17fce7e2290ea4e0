package io.llmgw.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgw.testing.ChatScript;
import io.llmgw.testing.FakeUpstream;
import io.llmgw.testing.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --requests}: the same request every time (what a response cache answers after the first),
 * or each one different (what it never can), for both targets and both clients.
 */
class LoadBenchmarkRequestsTest extends LoadBenchmarkTargets {

    @BeforeEach
    void start() {
        direct.handler(ChatScript.text("Hello!").usage(20, 2).handler());
        gateway.handler(ChatScript.text("Hello!").usage(20, 2).handler());
    }

    @Test
    void theSameRequestByDefault() throws Exception {
        assertThat(LoadBenchmark.execute(args("raw"))).isEqualTo(LoadBenchmark.OK);
        for (FakeUpstream target : List.of(direct, gateway)) {
            assertThat(bodies(target.requests())).as("non-streaming and streaming: one body each").hasSize(2);
        }
    }

    @Test
    void distinctRequestsAreEachDifferent() throws Exception {
        for (String client : List.of("raw", "jdk")) {
            direct.clear();
            gateway.clear();
            String[] args = args(client);
            String[] distinct = java.util.Arrays.copyOf(args, args.length + 2);
            distinct[args.length] = "--requests";
            distinct[args.length + 1] = "distinct";
            assertThat(LoadBenchmark.execute(distinct)).isEqualTo(LoadBenchmark.OK);
            for (FakeUpstream target : List.of(direct, gateway)) {
                List<RecordedRequest> requests = target.requests();
                assertThat(requests).hasSizeGreaterThan(10);
                assertThat(bodies(requests)).as(client).hasSize(requests.size());
                assertThat(requests.get(0).json().at("/messages/1/content").asText()).startsWith("Say hello in one short sentence. #");
            }
        }
    }

    @Test
    void theRequestsLogHasOneLinePerMeasuredRequest(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("not-yet").resolve("requests.csv");  // its directory is made
        String[] args = args("raw");
        String[] logged = java.util.Arrays.copyOf(args, args.length + 2);
        logged[args.length] = "--requests-log";
        logged[args.length + 1] = log.toString();
        long before = System.currentTimeMillis() * 1000;
        assertThat(LoadBenchmark.execute(logged)).isEqualTo(LoadBenchmark.OK);
        List<String> lines = Files.readAllLines(log);
        // 100 req/s for 200 ms per target and mode: 20 each, two targets, two modes
        assertThat(lines).hasSize(80);
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            String[] fields = line.split(",");
            assertThat(fields).hasSize(6);
            seen.add(fields[0] + " " + fields[1]);
            assertThat(Long.parseLong(fields[2])).as("intended start, epoch µs").isBetween(before, System.currentTimeMillis() * 1000);
            long firstByte = Long.parseLong(fields[3]);
            assertThat(firstByte).isPositive().isLessThanOrEqualTo(Long.parseLong(fields[4]));
        }
        assertThat(seen).containsExactlyInAnyOrder("non-streaming direct", "non-streaming gateway", "streaming direct", "streaming gateway");
    }

    private static Set<String> bodies(List<RecordedRequest> requests) {
        Set<String> bodies = new HashSet<>();
        requests.forEach(r -> bodies.add(r.bodyText()));
        return bodies;
    }

    private String[] args(String client) {
        return new String[] {"--direct-url", direct.baseUrl() + "/v1/chat/completions",
                "--gateway-url", gateway.baseUrl() + "/v1/chat/completions", "--client", client,
                "--rate", "100", "--duration", "200ms", "--slice", "50ms", "--warmup", "0", "--mode", "both"};
    }
}
