package io.llmgw.core.provider.anthropic;

import io.llmgw.core.config.BaseUrlSettings;
import java.net.URI;

/** @param baseUrl the API root, as in Anthropic's SDKs; the gateway appends {@code /v1/messages} */
public record AnthropicSettings(URI baseUrl) implements BaseUrlSettings {}
