package io.llmgw.core.http;

import java.net.URI;
import java.time.Duration;

/**
 * One HTTP call to an upstream.
 *
 * @param timeout        the whole exchange, from sending to the last body byte
 * @param connectTimeout establishing the connection
 */
public record UpstreamRequest(URI uri, Headers headers, byte[] body, Duration timeout, Duration connectTimeout) {}
