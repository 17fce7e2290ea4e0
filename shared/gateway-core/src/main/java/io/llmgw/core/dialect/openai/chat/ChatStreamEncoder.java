package io.llmgw.core.dialect.openai.chat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgw.core.relay.StreamEncoder;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.json.Json;
import io.llmgw.core.model.Ids;
import io.llmgw.core.model.StreamEvent;
import io.llmgw.core.model.Usage;
import io.llmgw.core.protocol.openai.OpenAiErrors;
import io.llmgw.core.stream.SseFrames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a canonical event stream as Chat Completions chunks (docs/protocol-mapping.md#chat-stream): a role
 * chunk first ({@code delta: {role: "assistant", content: ""}}), then one chunk per text delta
 * ({@code content}), reasoning delta ({@code reasoning_content}), tool call start ({@code id},
 * {@code type}, {@code name}, empty {@code arguments}) and argument fragment, each call under its
 * own {@code index} (0, 1, 2… in the order calls start, whatever the upstream's block numbers);
 * then a chunk with an empty delta and the {@code finish_reason}, the usage chunk
 * ({@code choices: []}) if the client asked for it with {@code stream_options.include_usage}, and
 * {@code data: [DONE]}. The finish is held until the upstream is done, so content and finish
 * never share a chunk and usage arriving after the finish still comes last
 * (docs/protocol-mapping.md#pitfall-late-usage). A failure ends the stream with {@code data: {"error": …}} and no {@code [DONE]}.
 *
 * <p>Every chunk carries the same envelope: one {@code chatcmpl-…} id, {@code object},
 * {@code created}, and the model name the client asked for. Content chunks are framed straight
 * into bytes around the JSON-quoted delta; they are nearly every chunk of a stream.
 */
public final class ChatStreamEncoder implements StreamEncoder {
    private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();
    private static final byte[] ROLE = ascii("{\"role\":\"assistant\",\"content\":\"\"}");
    private static final byte[] CONTENT = ascii("{\"content\":");
    private static final byte[] REASONING = ascii("{\"reasoning_content\":");
    private static final byte[] ARGUMENTS_INDEX = ascii("{\"tool_calls\":[{\"index\":");
    private static final byte[] ARGUMENTS = ascii(",\"function\":{\"arguments\":");
    private static final byte[] CLOSE_ONE = ascii("}");
    private static final byte[] CLOSE_ARGUMENTS = ascii("}}]}");

    private final ChatEnvelope envelope;
    private final boolean includeUsage;
    private final Consumer<byte[]> sink;
    /** {@code data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0,"delta":} */
    private final byte[] head;
    /** {@code ,"logprobs":null,"finish_reason":null}]}} (with {@code "usage":null} when usage was asked for), frame end */
    private final byte[] tail;
    private final Map<Integer, Integer> indexBySlot = new HashMap<>();
    private boolean started;
    private boolean ended;
    private StreamEvent.Finished finished;
    private Usage usage;

    /**
     * @param model        the model name the client asked for
     * @param includeUsage the client asked for the usage chunk ({@code stream_options.include_usage})
     * @param sink         where each frame goes, one array per chunk
     */
    public ChatStreamEncoder(String model, boolean includeUsage, Consumer<byte[]> sink) {
        this(ChatEnvelope.mint(model), includeUsage, sink);
    }

    ChatStreamEncoder(ChatEnvelope envelope, boolean includeUsage, Consumer<byte[]> sink) {
        this.envelope = envelope;
        this.includeUsage = includeUsage;
        this.sink = sink;
        byte[] object = Json.bytes(envelope.object("chat.completion.chunk"));
        ByteArrayOutputStream head = new ByteArrayOutputStream(object.length + 48);
        head.writeBytes(ascii("data: "));
        head.write(object, 0, object.length - 1);  // without the closing brace
        head.writeBytes(ascii(",\"choices\":[{\"index\":0,\"delta\":"));
        this.head = head.toByteArray();
        this.tail = ascii(finishTail("null"));
    }

    @Override
    public void onEvent(StreamEvent event) {
        if (ended) {
            return;
        }
        switch (event) {
            case StreamEvent.Started ignored -> start();
            case StreamEvent.TextDelta text -> delta(CONTENT, text.text());
            case StreamEvent.ReasoningDelta reasoning -> delta(REASONING, reasoning.text());
            case StreamEvent.ToolCallStarted call -> toolCallStarted(call);
            case StreamEvent.ToolCallDelta fragment -> toolCallDelta(fragment);
            case StreamEvent.Finished f -> finished = f;
            case StreamEvent.UsageReported reported -> usage = reported.usage();
            // Signatures and redacted reasoning have no place in a chat stream.
            case StreamEvent.ReasoningSignature ignored -> { }
            case StreamEvent.RedactedReasoning ignored -> { }
        }
    }

    @Override
    public void onComplete() {
        if (ended) {
            return;
        }
        start();
        String reason = ChatResponseEncoder.finishReason(finished == null ? null : finished.reason(), !indexBySlot.isEmpty());
        sink.accept(frame(head, ascii("{}"), ascii(finishTail("\"" + reason + "\""))));
        if (includeUsage && usage != null) {
            ObjectNode chunk = envelope.object("chat.completion.chunk");
            chunk.putArray("choices");
            chunk.set("usage", ChatResponseEncoder.usage(usage));
            sink.accept(SseFrames.data(Json.bytes(chunk)));
        }
        sink.accept(SseFrames.DONE);
        ended = true;
    }

    @Override
    public void onError(GatewayError error) {
        if (ended) {
            return;
        }
        ended = true;
        sink.accept(OpenAiErrors.INSTANCE.streamFrame(error));
    }

    @Override
    public byte[] keepAliveFrame() {
        return SseFrames.KEEP_ALIVE;
    }

    private void start() {
        if (!started) {
            started = true;
            sink.accept(frame(head, ROLE, tail));
        }
    }

    private void delta(byte[] field, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        start();
        sink.accept(frame(head, field, literal(text), CLOSE_ONE, tail));
    }

    private void toolCallStarted(StreamEvent.ToolCallStarted call) {
        if (indexBySlot.containsKey(call.slot())) {
            return;  // announced already; a second announcement would open a second call under the same index
        }
        start();
        int index = indexBySlot.size();
        indexBySlot.put(call.slot(), index);
        ObjectNode delta = Json.object();
        ObjectNode toolCall = delta.putArray("tool_calls").addObject();
        toolCall.put("index", index);
        toolCall.put("id", call.id() == null || call.id().isEmpty() ? Ids.random("call_") : call.id());
        toolCall.put("type", "function");
        toolCall.putObject("function").put("name", call.name()).put("arguments", "");
        ChatResponseEncoder.signature(toolCall, call.signature());
        sink.accept(frame(head, Json.bytes(delta), tail));
    }

    private void toolCallDelta(StreamEvent.ToolCallDelta fragment) {
        Integer index = indexBySlot.get(fragment.slot());
        if (index == null || fragment.arguments() == null || fragment.arguments().isEmpty()) {
            return;  // decoders announce every call first; nothing to attach a stray fragment to
        }
        sink.accept(frame(head, ARGUMENTS_INDEX, ascii(Integer.toString(index)), ARGUMENTS, literal(fragment.arguments()),
                CLOSE_ARGUMENTS, tail));
    }

    private String finishTail(String finishReason) {
        return ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]" + (includeUsage ? ",\"usage\":null" : "") + "}\n\n";
    }

    /** A JSON string literal; the tree writer takes over for text Jackson's quoter refuses (a lone surrogate). */
    private static byte[] literal(String text) {
        byte[] quoted;
        try {
            quoted = QUOTER.quoteAsUTF8(text);
        } catch (IllegalArgumentException unpairedSurrogate) {
            return Json.bytes(Json.NODES.textNode(text));
        }
        byte[] literal = new byte[quoted.length + 2];
        literal[0] = '"';
        System.arraycopy(quoted, 0, literal, 1, quoted.length);
        literal[literal.length - 1] = '"';
        return literal;
    }

    private static byte[] frame(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] frame = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, frame, at, part.length);
            at += part.length;
        }
        return frame;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
