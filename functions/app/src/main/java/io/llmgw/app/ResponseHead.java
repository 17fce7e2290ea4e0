package io.llmgw.app;

import io.llmgw.core.http.Headers;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * An answer's header lines in the form Netty's encoder writes: the gateway's headers, then those
 * the connection decides (transfer coding, connection, date), which replace any of the same name.
 *
 * <p>Each name and value is checked as Netty's own header map checks them — a name of token
 * characters, a value without line breaks or other control characters (a model name or anything
 * else taken from a body cannot split the answer) — and the lines go into Netty's array-backed
 * {@link ReadOnlyHttpHeaders}: the encoder only reads them, and a hash map's table and entries for
 * each answer's dozen headers cost about 1 % of the event loops' time (README › Benchmarks › Cuts
 * on the loop's path). Answers whose headers the encoder itself edits (1xx, 204 and 205: it drops
 * their length and transfer coding) get Netty's ordinary map.
 */
final class ResponseHead {
    private CharSequence[] lines = new CharSequence[32];
    private int size;

    /**
     * @param decided the names of the headers the connection gives itself (lower case; a null is
     *     none), which {@link #add} gives after: the gateway's own of those names are left out
     */
    ResponseHead(Headers headers, CharSequence... decided) {
        headers.forEach((name, value) -> {
            for (CharSequence own : decided) {
                if (own != null && AsciiString.contentEquals(own, name)) {
                    return;
                }
            }
            add(name, value);
        });
    }

    /** Adds a line; throws {@link IllegalArgumentException} for a name or value no header line may hold. */
    ResponseHead add(CharSequence name, CharSequence value) {
        if (HttpHeaderValidationUtil.validateToken(name) != -1 || name.length() == 0) {
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

    /** The lines for an answer of status {@code code}. */
    HttpHeaders build(int code) {
        if (code < 200 || code == 204 || code == 205) {
            HttpHeaders editable = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
            for (int i = 0; i < size; i += 2) {
                editable.add(lines[i], lines[i + 1]);
            }
            return editable;
        }
        // checked above, line by line
        return new ReadOnlyHttpHeaders(false, Arrays.copyOf(lines, size));
    }
}
