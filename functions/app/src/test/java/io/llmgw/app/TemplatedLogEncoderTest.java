package io.llmgw.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.ConsoleAppender;
import io.llmgw.testing.FakeUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The templated encoder against Spring Boot's own, byte for byte, in the same environment. */
class TemplatedLogEncoderTest {
    private static final Map<String, Object> SETTINGS = Map.of("spring.application.pid", "4242",
            "spring.application.name", "llm-gateway", "logging.structured.ecs.service.version", "1.2.3");

    private static <E extends StructuredLogEncoder> E started(E encoder, String format, Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        LoggerContext context = new LoggerContext();
        context.putObject(Environment.class.getName(), environment);
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> text.append((char) random.nextInt(0x20));        // C0 controls
                case 1 -> text.append((char) (0x7f + random.nextInt(0x21)));  // DEL and C1 controls
                case 2 -> text.append("\"\\/".charAt(random.nextInt(3)));
                case 3 -> text.appendCodePoint(0x1F600 + random.nextInt(80));  // outside the BMP: surrogate pairs
                case 4 -> text.append((char) (0xA0 + random.nextInt(0x3000)));
                default -> text.append((char) ('a' + random.nextInt(26)));
            }
        }
        return text.toString();
    }

    private static Object randomValue(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextInt();
            case 1 -> random.nextLong();
            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(20) - 10);
            case 3 -> random.nextBoolean();
            case 4 -> Math.round(random.nextDouble() * 1_000_000) / 1000.0;
            default -> randomText(random);
        };
    }

    @Test
    void requestLogLinesAreTheSameBytesAsSpringBootsEcsEncoderWrites() {
        TemplatedLogEncoder templated = started(new TemplatedLogEncoder(), "ecs", SETTINGS);
        StructuredLogEncoder spring = started(new StructuredLogEncoder(), "ecs", SETTINGS);
        assertThat(templated.templated()).isTrue();
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            List<KeyValuePair> pairs = new ArrayList<>();
            int count = random.nextInt(12);
            for (int p = 0; p < count; p++) {
                pairs.add(new KeyValuePair("k" + p + "_" + randomText(random).replace('.', '_'), randomValue(random)));
            }
            ILoggingEvent event = LogLineTemplate.event(Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)),
                    List.of(Level.INFO, Level.WARN, Level.ERROR, Level.DEBUG).get(random.nextInt(4)), "gateway." + randomText(random),
                    randomText(random), randomText(random), pairs);
            assertThat(new String(templated.encode(event), StandardCharsets.UTF_8))
                    .isEqualTo(new String(spring.encode(event), StandardCharsets.UTF_8));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAppsConsoleLinesAreTemplated() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start(); TestGateway gateway = TestGateway.inFrontOf(upstream.baseUrl())) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                    .getAppender("CONSOLE");
            assertThat(console).isInstanceOf(BatchingConsoleAppender.class);
            assertThat(console.getEncoder()).isInstanceOfSatisfying(TemplatedLogEncoder.class,
                    encoder -> assertThat(encoder.templated()).as("the app's environment fits the template").isTrue());
        }
    }

    @Test
    void keysThatFittedBeforeStillHaveTheirValuesChecked() {
        TemplatedLogEncoder templated = started(new TemplatedLogEncoder(), "ecs", SETTINGS);
        StructuredLogEncoder spring = started(new StructuredLogEncoder(), "ecs", SETTINGS);
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        String model = "model";
        String status = "status";
        for (Object value : List.of("gpt-4o", List.of("a", "b"), "claude \"q\"\n", 42)) {
            ILoggingEvent event = LogLineTemplate.event(at, Level.INFO, "gateway.request", "t", "request",
                    LogLineTemplate.pairs(model, value, status, 200));
            assertThat(new String(templated.encode(event), StandardCharsets.UTF_8))
                    .isEqualTo(new String(spring.encode(event), StandardCharsets.UTF_8));
        }
    }

    @Test
    void eventsOutsideTheTemplateAreWrittenBySpringBoot() {
        TemplatedLogEncoder templated = started(new TemplatedLogEncoder(), "ecs", SETTINGS);
        StructuredLogEncoder spring = started(new StructuredLogEncoder(), "ecs", SETTINGS);
        Instant at = Instant.parse("2026-12-06T10:00:00Z");
        List<ILoggingEvent> events = new ArrayList<>();
        events.add(LogLineTemplate.event(at, Level.INFO, "a", "t", "dotted key", LogLineTemplate.pairs("http.status", 200)));
        events.add(LogLineTemplate.event(at, Level.INFO, "a", "t", "a list", LogLineTemplate.pairs("models", List.of("a", "b"))));
        LoggingEvent failed = (LoggingEvent) LogLineTemplate.event(at, Level.ERROR, "a", "t", "failed", List.of());
        failed.setThrowableProxy(new ThrowableProxy(new IllegalStateException("boom")));
        events.add(failed);
        LoggingEvent marked = (LoggingEvent) LogLineTemplate.event(at, Level.INFO, "a", "t", "marked", List.of());
        marked.addMarker(MarkerFactory.getMarker("audit"));
        events.add(marked);
        LoggingEvent withMdc = new LoggingEvent();
        withMdc.setInstant(at);
        withMdc.setLevel(Level.INFO);
        withMdc.setLoggerName("a");
        withMdc.setThreadName("t");
        withMdc.setMessage("mdc");
        withMdc.setMDCPropertyMap(Map.of("trace_id", "abc"));
        events.add(withMdc);
        for (ILoggingEvent event : events) {
            assertThat(new String(templated.encode(event), StandardCharsets.UTF_8))
                    .isEqualTo(new String(spring.encode(event), StandardCharsets.UTF_8))
                    .contains(event.getMessage());
        }
    }

    @Test
    void anotherFormatOrACustomisedLineIsLeftToSpringBoot() {
        Map<String, Object> excluding = new HashMap<>(SETTINGS);
        excluding.put("logging.structured.json.exclude", "process.thread.name");
        for (TemplatedLogEncoder encoder : List.of(started(new TemplatedLogEncoder(), "logstash", SETTINGS),
                started(new TemplatedLogEncoder(), "ecs", excluding))) {
            assertThat(encoder.templated()).isFalse();
            String line = new String(encoder.encode(LogLineTemplate.event(Instant.now(), Level.INFO, "gateway.request", "t",
                    "request", LogLineTemplate.pairs("status", 200))), StandardCharsets.UTF_8);
            assertThat(line).contains("\"status\":200").contains("\"request\"");
        }
    }
}
