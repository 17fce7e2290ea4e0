package io.llmgw.core.protocol.openai;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a chat-completions upstream accepts, where servers differ.
 *
 * @param maxCompletionTokens send the limit as {@code max_completion_tokens} (OpenAI, Azure) rather
 *                            than {@code max_tokens} (what most compatible servers know)
 * @param reasoningModel      the model takes {@code reasoning_effort} and refuses sampling parameters
 * @param outputCeiling       the most output tokens the model can produce, or null when unknown
 * @param acceptsPdf          the server reads PDF documents sent as {@code file} parts (OpenAI's own API
 *                            and Azure OpenAI do; most compatible servers do not)
 * @param reasoningEfforts    the {@code reasoning_effort} values the server takes, least first
 */
public record ChatOptions(boolean maxCompletionTokens, boolean reasoningModel, Integer outputCeiling, boolean acceptsPdf,
                          List<String> reasoningEfforts) {
    private static final Pattern REASONING_MODEL = Pattern.compile("(?i)(o\\d.*|gpt-5.*|.*-o\\d(-.*)?)");
    /** The whole scale, least first; Anthropic's {@code max} is above anything chat knows. */
    static final List<String> EFFORT_SCALE = List.of("none", "minimal", "low", "medium", "high", "xhigh", "max");
    /** OpenAI's own API and Azure OpenAI (which model takes which is the upstream's to say). */
    public static final List<String> OPENAI_EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");
    /** Gemini's OpenAI-compatible endpoint, which maps them to its thinking budgets and levels. */
    public static final List<String> GEMINI_EFFORTS = List.of("none", "minimal", "low", "medium", "high");
    /** What compatible servers (vLLM, Ollama, LiteLLM…) validate the field against. */
    public static final List<String> COMMON_EFFORTS = List.of("low", "medium", "high");

    /** Options of a server that takes the common efforts only. */
    public ChatOptions(boolean maxCompletionTokens, boolean reasoningModel, Integer outputCeiling, boolean acceptsPdf) {
        this(maxCompletionTokens, reasoningModel, outputCeiling, acceptsPdf, COMMON_EFFORTS);
    }

    /** Options of a server that takes no PDF documents and the common efforts only. */
    public ChatOptions(boolean maxCompletionTokens, boolean reasoningModel, Integer outputCeiling) {
        this(maxCompletionTokens, reasoningModel, outputCeiling, false);
    }

    /**
     * The accepted effort nearest to {@code effort} on the scale none … max (the higher one when two
     * are as near): {@code minimal} is {@code low} and {@code xhigh} is {@code high} where only those
     * three are known, and {@code none} is the least a server offers when it cannot switch reasoning off.
     */
    public String reasoningEffort(String effort) {
        int wanted = EFFORT_SCALE.indexOf(effort);
        if (wanted < 0 || reasoningEfforts.contains(effort)) {
            return effort;
        }
        String nearest = null;
        int distance = Integer.MAX_VALUE;
        for (String accepted : reasoningEfforts) {
            int d = Math.abs(EFFORT_SCALE.indexOf(accepted) - wanted);
            if (d <= distance) {
                nearest = accepted;
                distance = d;
            }
        }
        return nearest;
    }

    /** OpenAI's reasoning model families (o1, o3, o4-mini, gpt-5…), judged by name. */
    public static boolean looksLikeReasoningModel(String model) {
        return model != null && REASONING_MODEL.matcher(model).matches();
    }

    /** Output ceilings of well-known OpenAI models, by name prefix; null when unknown. */
    public static Integer knownOutputCeiling(String model) {
        if (model == null) {
            return null;
        }
        String m = model.toLowerCase(java.util.Locale.ROOT);
        if (m.startsWith("gpt-4o") || m.startsWith("chatgpt-4o")) {
            return 16_384;
        }
        if (m.startsWith("gpt-4.1")) {
            return 32_768;
        }
        if (m.startsWith("gpt-5")) {
            return 128_000;
        }
        if (m.startsWith("o1-mini")) {
            return 65_536;
        }
        if (m.matches("o[134].*")) {
            return 100_000;
        }
        if (m.startsWith("gpt-4-turbo") || m.startsWith("gpt-3.5")) {
            return 4_096;
        }
        return null;
    }
}
