package io.llmgw.core.spi;

/** The client APIs the gateway serves; a provider names the ones its upstream speaks itself. */
public enum Dialect {
    CHAT_COMPLETIONS("openai-chat"),
    RESPONSES("openai-responses"),
    ANTHROPIC_MESSAGES("anthropic-messages");

    private final String logName;

    Dialect(String logName) {
        this.logName = logName;
    }

    /** The name in request logs and metrics. */
    public String logName() {
        return logName;
    }
}
