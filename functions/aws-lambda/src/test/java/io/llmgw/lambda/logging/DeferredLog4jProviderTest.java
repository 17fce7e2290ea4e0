package io.llmgw.lambda.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The streaming function's deferred SLF4J binding, in fresh JVMs with the packaged Log4j
 * configuration: libraries' loggers and level checks do not start Log4j, the answers before the
 * start are the ones Log4j gives after it, and a real event is written (and starts Log4j).
 */
class DeferredLog4jProviderTest {
    private static final String CONFIG = Path.of("src/main/resources/log4j2.properties").toAbsolutePath().toString();
    private static final List<String> NAMES = List.of("org.apache.hc.client5.http.impl.classic.MainClientExec",
            "org.apache.hc.client5.http.wire", "org.springframework.web", "software.amazon.awssdk.request", "io.llmgw.core.Gateway");

    private static List<String> probe(String powertoolsLogLevel) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Dlog4j2.configurationFile=" + CONFIG, "-cp", System.getProperty("java.class.path"), DeferredLoggingProbe.class.getName()));
        command.addAll(NAMES);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("POWERTOOLS_LOG_LEVEL");
        if (powertoolsLogLevel != null) {
            builder.environment().put("POWERTOOLS_LOG_LEVEL", powertoolsLogLevel);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return List.of(out.split("\n"));
    }

    private static List<String> answers(List<String> lines, String when) {
        return lines.stream().filter(l -> NAMES.stream().anyMatch(name -> l.startsWith(when + " " + name + " "))).map(l -> l.substring(when.length() + 1, l.indexOf(" log4j="))).toList();
    }

    @Test
    void atTheDefaultLevelLibrariesLevelChecksAndDebugCallsDoNotStartLog4jButAnEventDoes() throws Exception {
        List<String> lines = probe(null);
        assertThat(lines).contains("provider=DeferredLoggers");
        assertThat(lines.stream().filter(l -> l.startsWith("before "))).hasSize(NAMES.size()).allMatch(l -> l.endsWith("log4j=false"));
        assertThat(lines).contains("after debug calls: log4j=false", "after an info event: log4j=true");
        assertThat(lines).noneMatch(l -> l.contains("debug event from"));
        assertThat(lines).anyMatch(l -> l.startsWith("{") && l.contains("\"level\":\"INFO\"") && l.contains("\"message\":\"probe event 42\"")
                && l.contains("\"probe_field\":\"value\""));
        assertThat(answers(lines, "before")).allMatch(a -> a.endsWith("trace=false debug=false info=true"));
    }

    /**
     * Nothing Log4j would write is lost: whatever it enables after its start was reported enabled
     * before (a package the packaged configuration raises to WARN may say "enabled" early; its
     * first such call starts Log4j, which then filters it).
     */
    @ParameterizedTest
    @CsvSource(value = {"NULL", "INFO", "debug", "TRACE", "WARN", "error", "ALL"}, nullValues = "NULL")
    void beforeLog4jStartsNoLoggerReportsDisabledWhatLog4jEnablesAfterwards(String level) throws Exception {
        List<String> lines = probe(level);
        List<String> before = answers(lines, "before");
        List<String> after = answers(lines, "after");
        assertThat(before).hasSize(NAMES.size());
        for (int i = 0; i < NAMES.size(); i++) {
            for (String check : List.of("trace=true", "debug=true", "info=true")) {
                if (after.get(i).contains(check)) {
                    assertThat(before.get(i)).as(NAMES.get(i) + " at " + level).contains(check);
                }
            }
        }
        assertThat(after.get(0).replaceAll(" info=.*", "")).as("the HTTP client's TRACE and DEBUG follow the root level exactly")
                .isEqualTo(before.get(0).replaceAll(" info=.*", ""));
    }

    @Test
    void atDebugTheLibrariesDebugEventsAreWritten() throws Exception {
        List<String> lines = probe("DEBUG");
        assertThat(lines).anyMatch(l -> l.contains("\"level\":\"DEBUG\"") && l.contains("debug event from org.apache.hc.client5.http.wire"));
    }

    @ParameterizedTest
    @CsvSource(value = {"NULL,false,false", "'',false,false", "INFO,false,false", "debug,false,true", " Trace ,true,true",
            "ALL,true,true", "WARN,false,false", "OFF,false,false", "verbose,true,true"}, nullValues = "NULL")
    void theConfiguredLevelFollowsPowertoolsLogLevelAndAnUnknownNameLeavesTheDecisionToLog4j(String value, boolean trace, boolean debug) {
        assertThat(ConfiguredLevel.of(value)).isEqualTo(new ConfiguredLevel(trace, debug));
    }
}
