package io.llmgw.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * Spring Boot's structured-log encoder (the ECS JSON lines on stdout), with the common line — no
 * exception, no markers, no MDC, flat key-value pairs, as the request log writes one per request —
 * built from a template of the encoder's own output instead of by its JSON writer.
 *
 * <p>Why: Spring Boot 3.5's JSON writer appends a string character by character, and its encoder
 * turns that into bytes through an {@code OutputStreamWriter} that encodes each append on its own
 * (spring-boot issue 49428, changed in 4.1). That was about two thirds of the request log's cost, and
 * the request log was a third of the gateway's CPU per request (docs/decisions.md).
 *
 * <p>The template: at start, a probe event with marker values goes through the superclass, and where
 * the marker values land in its line an event's own values go, the key-value pairs right after the
 * message. A check event (every kind of value the request log writes, and characters that need
 * escaping) is then encoded both ways; unless the bytes are equal — another format, a customised
 * member, a Spring Boot whose output changed — every line goes through the superclass, as it would
 * without this class.
 */
public class TemplatedLogEncoder extends StructuredLogEncoder {
    private Charset charset = StandardCharsets.UTF_8;
    private LogLineTemplate template;

    @Override
    public void setCharset(Charset charset) {
        super.setCharset(charset);
        this.charset = charset == null ? StandardCharsets.UTF_8 : charset;
    }

    @Override
    public void start() {
        super.start();
        template = LogLineTemplate.from(super::encode, charset);
        if (template == null) {
            addInfo("structured log lines are all written by Spring Boot's encoder: its output does not fit a template here");
        }
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        LogLineTemplate lines = template;
        return lines != null && lines.fits(event) ? lines.line(event).getBytes(charset) : super.encode(event);
    }

    /** Whether lines are built from the template (false: Spring Boot's encoder writes every one). */
    boolean templated() {
        return template != null;
    }
}
