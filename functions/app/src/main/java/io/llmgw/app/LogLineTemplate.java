package io.llmgw.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A structured log line as Spring Boot's encoder writes it, cut where an event's own values go
 * ({@link TemplatedLogEncoder}): the literal text between them is the encoder's own, so members
 * that are the same on every line (the process id, the service, the schema version) come out as
 * the encoder wrote them. Strings are escaped as Spring Boot's JSON writer escapes them.
 */
final class LogLineTemplate {
    /** What varies from one line to the next, in the order found in the probe's line. */
    private enum Field { TIMESTAMP, LEVEL, LOGGER, THREAD, MESSAGE }

    private static final Instant PROBE_AT = Instant.ofEpochSecond(1_000_000_000L, 123_456_789);
    private static final Level PROBE_LEVEL = Level.WARN;
    private static final String PROBE_LOGGER = "probe.logger.q7";
    private static final String PROBE_THREAD = "probe-thread-q7";
    private static final String PROBE_MESSAGE = "probe message q7";
    /** A member name in a JSON line: a string followed by a colon (a string value never is). */
    private static final Pattern NAME = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\":");

    private final String[] literals;
    private final Field[] fields;
    /** Names the line already has, which a key-value pair must not repeat (Spring Boot's writer refuses a duplicate). */
    private final Set<String> names;
    /** The keys of the last line whose keys fitted ({@link #keysFitted}). */
    private volatile String[] fittedKeys = new String[0];

    private LogLineTemplate(String[] literals, Field[] fields, Set<String> names) {
        this.literals = literals;
        this.fields = fields;
        this.names = names;
    }

    /**
     * The template of {@code encoder}'s lines, or null when its lines cannot be built from one:
     * a marker value not found exactly once, or the check event's line not the same both ways.
     */
    static LogLineTemplate from(Function<ILoggingEvent, byte[]> encoder, Charset charset) {
        try {
            ILoggingEvent probe = event(PROBE_AT, PROBE_LEVEL, PROBE_LOGGER, PROBE_THREAD, PROBE_MESSAGE, List.of());
            String line = new String(encoder.apply(probe), charset);
            TreeMap<Integer, Field> found = new TreeMap<>();
            int[] quotedLength = new int[Field.values().length];
            for (Field field : Field.values()) {
                String quoted = quote(new StringBuilder(), value(field, probe)).toString();
                int at = line.indexOf(quoted);
                if (at < 0 || line.indexOf(quoted, at + 1) >= 0) {
                    return null;
                }
                found.put(at, field);
                quotedLength[field.ordinal()] = quoted.length();
            }
            List<String> literals = new ArrayList<>();
            int from = 0;
            for (Map.Entry<Integer, Field> entry : found.entrySet()) {
                literals.add(line.substring(from, entry.getKey()));
                from = entry.getKey() + quotedLength[entry.getValue().ordinal()];
            }
            literals.add(line.substring(from));
            Set<String> names = new HashSet<>();
            Matcher name = NAME.matcher(line);
            while (name.find()) {
                names.add(name.group(1));
            }
            LogLineTemplate template = new LogLineTemplate(literals.toArray(String[]::new), found.values().toArray(Field[]::new), names);
            ILoggingEvent check = event(Instant.parse("2026-12-06T19:25:49.203854200Z"), Level.INFO,
                    "gateway.request", "request-3", "request \"quoted\" \\ / \t\n\r\b\f \u0001\u001f\u007f\u0085 é 漢 😀",
                    pairs("request_id", "req_ü\"\\\u0002", "status", 200, "duration_ms", 12.345,
                            "overhead_ms", 0.0001, "input_tokens", 1234567890123L, "cost_usd", 1.5E-7, "flag", true,
                            "model", "claude-sonnet-4-5 \u2028"));
            if (!template.fits(check) || !new String(encoder.apply(check), charset).equals(template.line(check))) {
                return null;
            }
            return template;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether {@link #line} writes this event as the encoder would. */
    boolean fits(ILoggingEvent event) {
        if (event.getThrowableProxy() != null || event.getInstant() == null || event.getLevel() == null
                || event.getLoggerName() == null || event.getThreadName() == null || event.getFormattedMessage() == null) {
            return false;
        }
        List<Marker> markers = event.getMarkerList();
        Map<String, String> mdc = event.getMDCPropertyMap();
        if ((markers != null && !markers.isEmpty()) || (mdc != null && !mdc.isEmpty())) {
            return false;
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return true;
        }
        for (int i = 0; i < pairs.size(); i++) {
            Object value = pairs.get(i).value;  // other value types have their own JSON forms
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                return false;
            }
        }
        return keysFitted(pairs) || keysFit(pairs);
    }

    /**
     * Whether these are the very key strings (the same objects, in the same order) of the last line
     * whose keys fitted: the request log writes one set of constant keys on every line, and checking
     * them afresh (each against every other) was a third of the log writer's time.
     */
    private boolean keysFitted(List<KeyValuePair> pairs) {
        String[] fitted = fittedKeys;
        if (fitted.length != pairs.size()) {
            return false;
        }
        for (int i = 0; i < fitted.length; i++) {
            if (pairs.get(i).key != fitted[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean keysFit(List<KeyValuePair> pairs) {
        String[] keys = new String[pairs.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keys.length; i++) {
            String key = pairs.get(i).key;
            // a dotted key becomes a nested object; a name the line has, or a repeated one, is refused by Spring Boot's writer
            if (key == null || key.indexOf('.') >= 0 || names.contains(key) || !seen.add(key)) {
                return false;
            }
            keys[i] = key;
        }
        fittedKeys = keys;
        return true;
    }

    /** The event's line; only for an event that {@link #fits}. */
    String line(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(1024);  // a request line is 700–900 characters: no growing on the way
        for (int i = 0; i < fields.length; i++) {
            out.append(literals[i]);
            quote(out, value(fields[i], event));
            if (fields[i] == Field.MESSAGE && event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    quote(out.append(','), pair.key).append(':');
                    if (pair.value instanceof String text) {
                        quote(out, text);
                    } else {
                        out.append(pair.value);
                    }
                }
            }
        }
        return out.append(literals[fields.length]).toString();
    }

    private static String value(Field field, ILoggingEvent event) {
        return switch (field) {
            case TIMESTAMP -> event.getInstant().toString();
            case LEVEL -> event.getLevel().toString();
            case LOGGER -> event.getLoggerName();
            case THREAD -> event.getThreadName();
            case MESSAGE -> event.getFormattedMessage();
        };
    }

    /** A JSON string the way Spring Boot's JSON writer writes one (ISO control characters as upper-case \\u escapes). */
    static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        if (plain(text)) {
            return out.append(text).append('"');  // nearly every value: copied whole
        }
        int plain = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            String escape = switch (ch) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> Character.isISOControl(ch) ? String.format("\\u%04X", (int) ch) : null;
            };
            if (escape != null) {
                out.append(text, plain, i).append(escape);
                plain = i + 1;
            }
        }
        return out.append(text, plain, text.length()).append('"');
    }

    /** Whether {@code text} needs no escape: no quote, backslash or ISO control character. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '"' || ch == '\\' || Character.isISOControl(ch)) {
                return false;
            }
        }
        return true;
    }

    /** An event as the request log makes one, for the probe and the check. */
    static ILoggingEvent event(Instant at, Level level, String logger, String thread, String message, List<KeyValuePair> pairs) {
        LoggingEvent event = new LoggingEvent();
        event.setInstant(at);
        event.setLevel(level);
        event.setLoggerName(logger);
        event.setThreadName(thread);
        event.setMessage(message);
        event.setMDCPropertyMap(Map.of());
        event.setKeyValuePairs(pairs.isEmpty() ? null : List.copyOf(pairs));
        return event;
    }

    static List<KeyValuePair> pairs(Object... keysAndValues) {
        KeyValuePair[] pairs = new KeyValuePair[keysAndValues.length / 2];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = new KeyValuePair((String) keysAndValues[2 * i], keysAndValues[2 * i + 1]);
        }
        return Arrays.asList(pairs);
    }
}
