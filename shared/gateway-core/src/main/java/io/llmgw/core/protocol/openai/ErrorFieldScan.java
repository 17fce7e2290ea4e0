package io.llmgw.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.llmgw.core.json.ObjectScan;
import java.io.IOException;

/**
 * Whether a stream event's object has a top-level {@code error} that is not null, everything else
 * skipped: the check every OpenAI-family stream makes of its first event before it commits. That
 * event used to become a JSON tree on the way to its first byte; the tree is now built only when
 * there is an error to read. As for a tree, of duplicate keys the last counts.
 */
final class ErrorFieldScan extends ObjectScan {
    private boolean error;

    boolean error() {
        return error;
    }

    @Override
    protected void clear() {
        error = false;
    }

    @Override
    protected void readFields(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (name.equals("error")) {
                error = token != JsonToken.VALUE_NULL;
            }
            parser.skipChildren();
        }
    }
}
