package io.llmgw.core.dialect.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One item of a translated response's {@code output}, while it streams: what its
 * {@code output_item.added} announces, the deltas it takes, and the events that close it with
 * the item in full (docs/protocol-mapping.md#responses-stream). Each item closes exactly once.
 */
abstract sealed class OutputItem {
    final String id;
    final int outputIndex;
    private ObjectNode done;

    OutputItem(String prefix, int outputIndex) {
        this.id = Ids.random(prefix);
        this.outputIndex = outputIndex;
    }

    /** The item as {@code output_item.added} shows it: empty and in progress. */
    abstract ObjectNode added();

    /** Writes the events that finish the item's content, and returns the item in full. */
    abstract ObjectNode finish(EventWriter events, String status);

    final boolean closed() {
        return done != null;
    }

    /** The item in full, once closed. */
    final ObjectNode done() {
        return done;
    }

    final void open(EventWriter events) {
        ObjectNode event = events.event("response.output_item.added");
        event.put("output_index", outputIndex);
        event.set("item", added());
        events.send(event);
    }

    /** @param status completed, or incomplete when the response ends early */
    final void close(EventWriter events, String status) {
        if (done == null) {
            done = finish(events, status);
            ObjectNode event = events.event("response.output_item.done");
            event.put("output_index", outputIndex);
            event.set("item", done);
            events.send(event);
        }
    }

    /** Reasoning text as the item's one summary part; the upstream's opaque token as its {@code encrypted_content}. */
    static final class Reasoning extends OutputItem {
        private final StringBuilder text = new StringBuilder();
        private final DeltaFrames deltas;
        private String encrypted;
        private boolean partOpen;

        Reasoning(EventWriter events, int outputIndex) {
            super("rs_", outputIndex);
            deltas = new DeltaFrames("response.reasoning_summary_text.delta", id, outputIndex, "summary_index", false);
            open(events);
        }

        @Override
        ObjectNode added() {
            ObjectNode item = Json.object().put("type", "reasoning").put("id", id);
            item.putArray("summary");
            return item;
        }

        void delta(EventWriter events, String delta) {
            if (!partOpen) {
                partOpen = true;
                ObjectNode added = events.itemEvent("response.reasoning_summary_part.added", id, outputIndex);
                added.put("summary_index", 0);
                added.set("part", part(""));
                events.send(added);
            }
            text.append(delta);
            events.delta(deltas, delta);
        }

        void encrypted(String value) {
            encrypted = value;
        }

        @Override
        ObjectNode finish(EventWriter events, String status) {
            ObjectNode item = added();
            if (partOpen) {
                ObjectNode textDone = events.itemEvent("response.reasoning_summary_text.done", id, outputIndex);
                textDone.put("summary_index", 0);
                textDone.put("text", text.toString());
                events.send(textDone);
                ObjectNode partDone = events.itemEvent("response.reasoning_summary_part.done", id, outputIndex);
                partDone.put("summary_index", 0);
                partDone.set("part", part(text.toString()));
                events.send(partDone);
                item.withArray("summary").add(part(text.toString()));
            }
            if (encrypted != null) {
                item.put("encrypted_content", encrypted);
            }
            return item;
        }

        private static ObjectNode part(String text) {
            return Json.object().put("type", "summary_text").put("text", text);
        }
    }

    /** The assistant's text: one message with one {@code output_text} part. */
    static final class Message extends OutputItem {
        private final StringBuilder text = new StringBuilder();
        private final DeltaFrames deltas;

        Message(EventWriter events, int outputIndex) {
            super("msg_", outputIndex);
            deltas = new DeltaFrames("response.output_text.delta", id, outputIndex, "content_index", true);
            open(events);
            ObjectNode event = events.itemEvent("response.content_part.added", id, outputIndex);
            event.put("content_index", 0);
            event.set("part", part(""));
            events.send(event);
        }

        @Override
        ObjectNode added() {
            ObjectNode item = Json.object().put("type", "message").put("id", id).put("status", "in_progress").put("role", "assistant");
            item.putArray("content");
            return item;
        }

        void delta(EventWriter events, String delta) {
            text.append(delta);
            events.delta(deltas, delta);
        }

        @Override
        ObjectNode finish(EventWriter events, String status) {
            String full = text.toString();
            ObjectNode textDone = events.itemEvent("response.output_text.done", id, outputIndex);
            textDone.put("content_index", 0);
            textDone.put("text", full);
            textDone.putArray("logprobs");
            events.send(textDone);
            ObjectNode partDone = events.itemEvent("response.content_part.done", id, outputIndex);
            partDone.put("content_index", 0);
            partDone.set("part", part(full));
            events.send(partDone);
            ObjectNode item = added().put("status", status);
            item.withArray("content").add(part(full));
            return item;
        }

        private static ObjectNode part(String text) {
            ObjectNode part = Json.object().put("type", "output_text").put("text", text);
            part.putArray("annotations");
            part.putArray("logprobs");
            return part;
        }
    }

    /**
     * A function call, or a custom tool's call whose raw input is unwrapped from the
     * {@code {"input": …}} arguments the upstream produced for it.
     */
    static final class Call extends OutputItem {
        /** Created on first use, so building the gateway does not start the logging back end. */
        private static final class Log {
            static final Logger LOG = LoggerFactory.getLogger(Call.class);
        }

        private final String callId;
        private final String name;
        private final CustomToolInput custom;
        private final StringBuilder arguments = new StringBuilder();
        private final DeltaFrames deltas;

        Call(EventWriter events, int outputIndex, String callId, String name, boolean custom) {
            super(custom ? "ctc_" : "fc_", outputIndex);
            this.callId = callId;
            this.name = name;
            this.custom = custom ? new CustomToolInput() : null;
            deltas = new DeltaFrames(custom ? "response.custom_tool_call_input.delta" : "response.function_call_arguments.delta",
                    id, outputIndex, null, false);
            open(events);
        }

        @Override
        ObjectNode added() {
            ObjectNode item = Json.object().put("type", custom != null ? "custom_tool_call" : "function_call").put("id", id)
                    .put("call_id", callId).put("name", name);
            if (custom != null) {
                return item.put("input", "");
            }
            return item.put("arguments", "").put("status", "in_progress");
        }

        void delta(EventWriter events, String fragment) {
            if (custom == null) {
                arguments.append(fragment);
            }
            inputDelta(events, custom == null ? fragment : custom.feed(fragment));
        }

        private void inputDelta(EventWriter events, String delta) {
            if (!delta.isEmpty()) {
                events.delta(deltas, delta);
            }
        }

        @Override
        ObjectNode finish(EventWriter events, String status) {
            ObjectNode item = added();
            if (custom == null) {
                String full = arguments.toString();
                ObjectNode done = events.itemEvent("response.function_call_arguments.done", id, outputIndex);
                done.put("name", name);
                done.put("arguments", full);
                events.send(done);
                return item.put("arguments", full).put("status", status);
            }
            String rest = custom.finish();
            if (rest == null) {
                Log.LOG.warn("custom tool call {} streamed input that its final arguments do not continue; the done event has the final input", callId);
            } else {
                inputDelta(events, rest);
            }
            String input = custom.input();
            ObjectNode done = events.itemEvent("response.custom_tool_call_input.done", id, outputIndex);
            done.put("input", input);
            events.send(done);
            return item.put("input", input);
        }
    }
}
