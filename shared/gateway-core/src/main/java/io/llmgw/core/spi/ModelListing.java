package io.llmgw.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.upstream.UpstreamRequest;
import java.util.List;

/** How to ask an upstream which models it serves, under the names its requests take, and read the answer. */
public interface ModelListing {
    /** The listing request, unsigned. */
    UpstreamRequest request();

    /** The entries of a listing answer, in the upstream's order (the gateway filters and bounds them). */
    List<ListedModel> read(JsonNode body);
}
