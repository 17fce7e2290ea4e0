package io.llmgw.core.pipeline;

import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.routing.Route;
import io.llmgw.core.spi.Dialect;
import io.llmgw.core.web.Exchange;

/**
 * A decoded, routed model request, as policies see it before its upstream call: who asks (the
 * exchange's credential), in which dialect, for which model and route, how large it is.
 *
 * @param canonical        the translated request, or null on the passthrough path (the client's body goes as it is)
 * @param estimatedTokens  the request's size in tokens, estimated
 * @param maxOutputTokens  the output the client asked for at most, or null
 * @param answers          the answer in canonical form: watched as it is relayed, or given without an upstream call
 */
public record ModelCall(Exchange exchange, Dialect dialect, String model, Route route, boolean stream, int estimatedTokens,
                        Integer maxOutputTokens, CanonicalRequest canonical, Answering answers) {}
