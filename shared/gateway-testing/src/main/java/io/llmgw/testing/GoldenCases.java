package io.llmgw.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Golden-file translation tests. Each case is a folder:
 * <pre>
 * request.json                  {"method","path","headers","body"} the client sends
 * upstream.sse | upstream.json  what the fake upstream answers (raw SSE frames, or a JSON body)
 * upstream-meta.json            optional: {"status":429,"headers":{…},"reset_after_events":3}
 * expected-upstream-request.json {"path","query","headers","body"} the gateway must send upstream
 *                               (only the headers named there are compared)
 * expected.json                 {"status":200,"headers":{…}} checked headers only
 * expected-response.sse | .json what the client must receive
 * </pre>
 * Ids and timestamps the gateway mints are normalised before comparing. Run with
 * {@code -Dgolden.update=true} to (re)write the expected files from the actual output, then
 * review the diff.
 */
public final class GoldenCases {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final String[][] NORMALISE = {
            {"\\b(msg|toolu|resp|rs|fc|fco|call|req|ctc)_[A-Za-z0-9]{20,}", "$1_*"},
            {"\\bchatcmpl-[A-Za-z0-9]{24,}", "chatcmpl-*"},
            {"\"(?<key>created_at|created)\"(?<colon>\\s*:\\s*)\\d{9,}", "\"${key}\"${colon}0"},
            {"\"created_at\"(?<colon>\\s*:\\s*)\"\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z\"", "\"created_at\"${colon}\"*\""},
    };

    /** What the client sends, as read from request.json. */
    public record CaseRequest(String method, String path, Map<String, String> headers, byte[] body) {}

    /** What the client received. */
    public record Result(int status, Map<String, String> headers, String body) {}

    /** Runs the gateway for one case against the fake upstream at {@code upstreamBaseUrl}. */
    @FunctionalInterface
    public interface Target {
        Result send(CaseRequest request, String upstreamBaseUrl) throws Exception;
    }

    /**
     * What the fake upstream answers in a case, from the case folder and the request it received (for upstreams
     * whose answers are not SSE or JSON files, e.g. binary AWS event streams, or that check what they receive).
     */
    @FunctionalInterface
    public interface Upstream {
        Reply reply(Path folder, RecordedRequest request) throws IOException;
    }

    /** Runs one case folder's own way (for golden cases that need no upstream, e.g. an encoder fed canonical events). */
    @FunctionalInterface
    public interface CaseRunner {
        void run(Path folder) throws Exception;
    }

    private GoldenCases() {}

    /**
     * One dynamic test per case folder under the classpath directory {@code suite}
     * (e.g. {@code golden/anthropic-chat}), resolved against the source tree so updates land there.
     */
    public static Stream<DynamicTest> run(Class<?> anchor, String suite, Target target) {
        return run(anchor, suite, target, (folder, request) -> upstreamReply(folder));
    }

    /** As {@link #run(Class, String, Target)}, the fake upstream answering with {@code upstream}. */
    public static Stream<DynamicTest> run(Class<?> anchor, String suite, Target target, Upstream upstream) {
        return each(anchor, suite, folder -> runCase(folder, target, upstream));
    }

    /** One dynamic test per case folder under {@code suite}, each run by {@code runner}. */
    public static Stream<DynamicTest> each(Class<?> anchor, String suite, CaseRunner runner) {
        Path dir = sourceDir(anchor, suite);
        try (Stream<Path> cases = Files.list(dir)) {
            List<Path> folders = cases.filter(Files::isDirectory).sorted().toList();
            return folders.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> runner.run(folder)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code actual}, with minted ids and timestamps normalised, is the content of
     * {@code expectedFile}; writes the file instead when it is missing or under {@code -Dgolden.update=true}.
     */
    public static void assertMatches(Path expectedFile, String actual) throws IOException {
        compareText(expectedFile, normalise(actual));
    }

    private static void runCase(Path folder, Target target, Upstream script) throws Exception {
        JsonNode request = JSON.readTree(folder.resolve("request.json").toFile());
        Map<String, String> headers = new LinkedHashMap<>();
        request.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        JsonNode body = request.get("body");
        CaseRequest caseRequest = new CaseRequest(request.path("method").asText("POST"), request.get("path").asText(), headers,
                body == null || body.isNull() ? new byte[0] : new ObjectMapper().writeValueAsBytes(body));

        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.handler(r -> {
                try {
                    return script.reply(folder, r);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Result result = target.send(caseRequest, upstream.baseUrl());
            RecordedRequest sent = upstream.lastRequest();
            compareUpstreamRequest(folder, sent);
            compareExpected(folder, result);
        }
    }

    /** The case's upstream.sse or upstream.json, with the status, headers and fault of upstream-meta.json. */
    public static Reply upstreamReply(Path folder) {
        try {
            JsonNode meta = Files.exists(folder.resolve("upstream-meta.json"))
                    ? JSON.readTree(folder.resolve("upstream-meta.json").toFile()) : JSON.createObjectNode();
            int status = meta.path("status").asInt(200);
            Reply reply;
            if (Files.exists(folder.resolve("upstream.sse"))) {
                String raw = Files.readString(folder.resolve("upstream.sse"));
                reply = Reply.rawSse(Arrays.asList(raw.split("(?<=\r?\n\r?\n)")));
            } else {
                reply = Reply.json(status, Files.readString(folder.resolve("upstream.json")));
            }
            meta.path("headers").fields().forEachRemaining(e -> reply.header(e.getKey(), e.getValue().asText()));
            if (meta.has("reset_after_events")) {
                reply.resetAfterEvents(meta.get("reset_after_events").asInt());
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compareUpstreamRequest(Path folder, RecordedRequest sent) throws IOException {
        Path expectedFile = folder.resolve("expected-upstream-request.json");
        if (sent == null) {
            if (Files.exists(expectedFile)) {
                throw new AssertionError("the gateway sent nothing upstream, but " + expectedFile + " expects a request");
            }
            return;
        }
        var actual = JSON.createObjectNode();
        actual.put("path", sent.path());
        if (sent.query() != null) {
            actual.put("query", sent.query());
        }
        // Headers are compared only where a case names them (e.g. anthropic-beta reaching the upstream).
        JsonNode expectedHeaders = Files.exists(expectedFile) ? JSON.readTree(expectedFile.toFile()).path("headers") : null;
        if (expectedHeaders != null && expectedHeaders.isObject()) {
            var headers = actual.putObject("headers");
            expectedHeaders.fieldNames().forEachRemaining(name -> headers.put(name, sent.header(name)));
        }
        actual.set("body", sent.body().length == 0 ? null : JSON.readTree(sent.body()));
        String actualText = normalise(JSON.writeValueAsString(JSON.readTree(JSON.writeValueAsString(actual))));
        compareText(expectedFile, actualText);
    }

    private static void compareExpected(Path folder, Result result) throws IOException {
        Path metaFile = folder.resolve("expected.json");
        var meta = Files.exists(metaFile) ? (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(metaFile.toFile())
                : JSON.createObjectNode();
        meta.put("status", result.status());
        if (Files.exists(metaFile) && !UPDATE) {
            JsonNode expected = JSON.readTree(metaFile.toFile());
            assertEquals(expected.path("status").asInt(), result.status(), "status of " + folder.getFileName() + "; body: " + result.body());
            expected.path("headers").fields().forEachRemaining(e ->
                    assertEquals(e.getValue().asText(), result.headers().get(e.getKey()), "header " + e.getKey()));
        } else {
            Files.writeString(metaFile, JSON.writeValueAsString(meta) + "\n");
        }
        boolean sse = result.headers().getOrDefault("content-type", "").startsWith("text/event-stream");
        Path bodyFile = folder.resolve(sse ? "expected-response.sse" : "expected-response.json");
        String actual = sse ? result.body() : JSON.writeValueAsString(JSON.readTree(result.body())) + "\n";
        compareText(bodyFile, normalise(actual));
    }

    private static void compareText(Path expectedFile, String actual) throws IOException {
        if (UPDATE || !Files.exists(expectedFile)) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            if (!UPDATE) {
                throw new AssertionError("wrote missing " + expectedFile + "; review it and run again");
            }
            return;
        }
        assertEquals(Files.readString(expectedFile), actual, "golden file " + expectedFile);
    }

    static String normalise(String text) {
        String out = text;
        for (String[] rule : NORMALISE) {
            out = out.replaceAll(rule[0], rule[1]);
        }
        return out;
    }

    /** The case folder in the source tree (src/test/resources), so that updates are written where they are kept. */
    private static Path sourceDir(Class<?> anchor, String suite) {
        URL url = anchor.getClassLoader().getResource(suite);
        if (url == null) {
            throw new IllegalArgumentException("no golden suite on the classpath: " + suite);
        }
        try {
            Path compiled = Path.of(url.toURI());
            Path source = Path.of(compiled.toString().replace("/target/test-classes/", "/src/test/resources/"));
            return Files.isDirectory(source) ? source : compiled;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Splits an SSE body into its frames (for assertions on single events). */
    public static List<String> frames(String sse) {
        List<String> frames = new ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            if (!frame.isBlank()) {
                frames.add(frame);
            }
        }
        return frames;
    }
}
