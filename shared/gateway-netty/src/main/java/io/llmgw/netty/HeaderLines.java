package io.llmgw.netty;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import java.util.Arrays;

/**
 * Header lines to hand to Netty's HTTP encoder — an upstream request's, or an answer's to a client —
 * each name and value checked as Netty's own header map checks them: a name of token characters, a
 * value without line breaks or other control characters (a forwarded or configured value, a model
 * name taken from a body, cannot split the header section).
 *
 * <p>The lines go into Netty's array-backed {@link ReadOnlyHttpHeaders}: the encoder only reads them,
 * and filling Netty's hash map — a table and an entry per line, each name hashed — for each
 * message's dozen headers cost about 1.5 % of the event loops' time (README › Benchmarks › Header
 * lines without hash maps). {@link #editable} is for a message whose headers Netty edits on the way out.
 */
public final class HeaderLines {
    private CharSequence[] lines = new CharSequence[32];
    private int size;

    /** Adds a line; an {@link IllegalArgumentException} for a name or value no header line may hold. */
    public HeaderLines add(CharSequence name, CharSequence value) {
        if (!plainName(name) && (name.length() == 0 || HttpHeaderValidationUtil.validateToken(name) != -1)) {
            throw new IllegalArgumentException("a header name can only contain token characters: " + name);
        }
        if (HttpHeaderValidationUtil.validateValidHeaderValue(value) != -1) {
            throw new IllegalArgumentException("the value of the header " + name + " holds a character no header value may hold");
        }
        if (size == lines.length) {
            lines = Arrays.copyOf(lines, size * 2);
        }
        lines[size++] = name;
        lines[size++] = value;
        return this;
    }

    /**
     * Whether {@code name} is lower-case letters, digits and hyphens, as nearly every name the gateway
     * writes is: a token for certain, seen without Netty's check, which asks of each character through
     * {@link CharSequence} what kind it is (about 1 % of the event loops' time for a request's two
     * dozen names). Anything else goes to that check.
     */
    private static boolean plainName(CharSequence name) {
        if (!(name instanceof String text) || text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (!((ch >= 'a' && ch <= 'z') || ch == '-' || (ch >= '0' && ch <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** The lines, in order, for an encoder that only reads them. */
    public HttpHeaders readOnly() {
        return new ReadOnlyHttpHeaders(false, Arrays.copyOf(lines, size));  // checked in add
    }

    /** The lines, in order, in Netty's ordinary map. */
    public HttpHeaders editable() {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (int i = 0; i < size; i += 2) {
            headers.add(lines[i], lines[i + 1]);
        }
        return headers;
    }
}
