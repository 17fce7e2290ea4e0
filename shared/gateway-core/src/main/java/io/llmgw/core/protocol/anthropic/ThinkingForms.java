package io.llmgw.core.protocol.anthropic;

import io.llmgw.core.config.ThinkingSupport;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code thinking} forms an Anthropic model accepts: the deployment's {@code thinking:} setting
 * when there is one, else what its name says — Claude 4.6 and later think adaptively (Opus 4.7 takes
 * nothing else, 4.6 deprecates budgets), Claude 3.7 to 4.5 take a budget, older Claude models do not
 * think. Names that are no Claude version (Anthropic-compatible servers of other models) are unknown.
 */
public final class ThinkingForms {
    /**
     * Current ids: family, major version, and a one- or two-digit minor version when there is one (so
     * {@code claude-sonnet-4-20250514} is 4, not 4.20250514). Bedrock and Vertex ids embed them.
     */
    private static final Pattern FAMILY_FIRST = Pattern.compile("claude-[a-z]+-(\\d{1,3})(?!\\d)(?:-(\\d{1,2})(?!\\d))?");
    /** Ids before Claude 4: {@code claude-3-7-sonnet-…}, {@code claude-3-opus-…}, {@code claude-2.1}. */
    private static final Pattern VERSION_FIRST = Pattern.compile("claude-(\\d)(?:[-.](\\d)(?!\\d))?(?:-|$)");

    /** The smallest budget Anthropic takes. */
    public static final int MIN_BUDGET = 1024;

    private ThinkingForms() {}

    /**
     * Budgets per Anthropic effort (docs/protocol-mapping.md#upstream-anthropic-thinking): low 1,024, medium 8,192,
     * high 16,384, xhigh 24,576, max 32,000.
     */
    public static int budget(String effort) {
        return switch (effort == null ? "" : effort) {
            case "low" -> MIN_BUDGET;
            case "high" -> 16_384;
            case "xhigh" -> 24_576;
            case "max" -> 32_000;
            default -> 8_192;
        };
    }

    /** @return the forms {@code model} accepts, or null when neither configured nor told by the name */
    public static ThinkingSupport of(String model, ThinkingSupport configured) {
        if (configured != null) {
            return configured;
        }
        String name = model.toLowerCase(Locale.ROOT);
        Matcher m = FAMILY_FIRST.matcher(name);
        if (!m.find()) {
            m = VERSION_FIRST.matcher(name);
            if (!m.find()) {
                return null;
            }
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int version = major * 100 + minor;
        return version >= 406 ? ThinkingSupport.ADAPTIVE : version >= 307 ? ThinkingSupport.BUDGET : ThinkingSupport.NONE;
    }
}
