package io.llmgw.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.http.Headers;

/**
 * A client's own request body for an upstream that speaks the client's dialect, already fitted to
 * the deployment by the dialect (model name, limits).
 *
 * @param countTokens  an Anthropic count_tokens request rather than a message
 * @param json         the body to send, for the provider to adapt if it must (and serialise); null when {@code bytes} is set
 * @param bytes        the exact bytes to send (a body passed through byte for byte), or null
 * @param clientHeaders the client's request headers (its {@code anthropic-version} and {@code anthropic-beta} travel upstream)
 */
public record NativeBody(Dialect dialect, boolean countTokens, ObjectNode json, byte[] bytes, boolean stream, Headers clientHeaders,
                         String requestId) {}
