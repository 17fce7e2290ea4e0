package io.llmgw.core.dialect;

/**
 * A base64 {@code data:} URL ({@code data:<media type>;base64,<data>}), as clients send inline
 * images and files.
 */
public record DataUrl(String mediaType, String base64) {
    /** The parts of {@code url}, or null when it is not a base64 data URL (e.g. an https URL). */
    public static DataUrl parse(String url) {
        if (!url.startsWith("data:")) {
            return null;
        }
        int comma = url.indexOf(',');
        int base64 = url.lastIndexOf(";base64", comma);
        if (comma < 0 || base64 < 0) {
            return null;
        }
        return new DataUrl(url.substring(5, base64), url.substring(comma + 1));
    }
}
