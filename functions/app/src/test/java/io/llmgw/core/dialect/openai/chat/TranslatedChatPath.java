package io.llmgw.core.dialect.openai.chat;

/**
 * For the app's tests: while open, every chat request takes the translated path (through the
 * canonical model) even when its upstream speaks chat completions, through the endpoint's
 * package-private test seam. Lives in the endpoint's package to reach it.
 */
public final class TranslatedChatPath implements AutoCloseable {
    private TranslatedChatPath() {}

    public static TranslatedChatPath force() {
        ChatDialect.translateEveryUpstream = true;
        return new TranslatedChatPath();
    }

    @Override
    public void close() {
        ChatDialect.translateEveryUpstream = false;
    }
}
