package io.llmgw.core.protocol.openai;

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
 */
public record ChatOptions(boolean maxCompletionTokens, boolean reasoningModel, Integer outputCeiling, boolean acceptsPdf) {
    private static final Pattern REASONING_MODEL = Pattern.compile("(?i)(o\\d.*|gpt-5.*|.*-o\\d(-.*)?)");

    /** Options of a server that takes no PDF documents. */
    public ChatOptions(boolean maxCompletionTokens, boolean reasoningModel, Integer outputCeiling) {
        this(maxCompletionTokens, reasoningModel, outputCeiling, false);
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
