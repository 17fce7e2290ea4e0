package io.llmgw.core.dialect.anthropic;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmgw.core.model.Block;
import io.llmgw.core.model.CanonicalRequest;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Role;
import io.llmgw.core.model.ToolChoice;
import io.llmgw.core.model.ToolDefinition;
import io.llmgw.core.protocol.ToolNames;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts a request's input tokens locally, for upstreams that cannot count (chat-completions
 * ones): the upstream model's BPE encoding over everything the model reads — system prompt, every
 * block type (text, tool calls with their input JSON, tool results, thinking, documents), tool
 * names, descriptions and schemas; not replayed thinking, which chat upstreams never receive — plus
 * OpenAI's published per-message overheads (3 tokens per
 * message and its role, 3 to prime the reply) and fixed costs for images and PDF pages.
 *
 * <p>The work is bounded whatever the caller sends: text is encoded in pieces of at most
 * {@link #PIECE_CHARS} characters (BPE over one giant "word" grows much faster than linearly and
 * once ran a 5 MB word out of memory), and beyond {@link #EXACT_CHARS} characters in all the rest is
 * estimated at {@link #CHARS_PER_TOKEN} characters a token; {@link #estimated()} then says so.
 */
final class TokenCounter {
    static final int TOKENS_PER_MESSAGE = 3;
    static final int REPLY_PRIMING = 3;
    /** One image as OpenAI bills a 1024×1024 picture at high detail: 85 + 4 tiles × 170. */
    static final int IMAGE_TOKENS = 765;
    /** One PDF page: its rendered image plus a typical page of extracted text. */
    static final int PDF_PAGE_TOKENS = 1_500;
    /** With tools, OpenAI folds the system message into the tools preamble and saves these. */
    static final int SYSTEM_WITH_TOOLS_SAVING = 4;

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final Pattern LATER_GPT_4 = Pattern.compile("gpt-4(o|\\.\\d).*");
    private static final Pattern PDF_PAGE = Pattern.compile("/Type\\s*/Page(?![a-zA-Z])");

    /** Longest piece of text handed to the encoder at once; longer text is cut at whitespace where it can be. */
    static final int PIECE_CHARS = 4_096;
    /** Characters counted exactly per request; the rest is estimated. */
    static final int EXACT_CHARS = 500_000;
    static final double CHARS_PER_TOKEN = 4.0;

    private final Encoding encoding;
    private long exactCharsLeft = EXACT_CHARS;
    private boolean estimated;

    private TokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /**
     * The counter for an upstream model: cl100k_base for gpt-4 and gpt-3.5 (Azure spells it gpt-35),
     * o200k_base for gpt-4o, gpt-4.1 and everything later or unknown (deployment names are free-form).
     * jtokkit's own lookup is not used: it maps gpt-4.1 to cl100k_base by prefix.
     */
    static TokenCounter forModel(String upstreamModel) {
        String m = upstreamModel == null ? "" : upstreamModel.toLowerCase(Locale.ROOT);
        boolean legacy = m.startsWith("gpt-3.5") || m.startsWith("gpt-35") || (m.startsWith("gpt-4") && !LATER_GPT_4.matcher(m).matches());
        return new TokenCounter(REGISTRY.getEncoding(legacy ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE));
    }

    int count(CanonicalRequest request) {
        int tokens = REPLY_PRIMING;
        if (!request.system().isEmpty()) {
            List<String> texts = new ArrayList<>();
            request.system().forEach(t -> texts.add(t.text()));
            tokens += message("system") + text(String.join("\n\n", texts));
        }
        ToolNames names = request.hasTools() ? new ToolNames(request.tools()) : ToolNames.NONE;
        for (Message message : request.messages()) {
            tokens += message.role() == Role.ASSISTANT ? assistant(message, names) : user(message);
        }
        if (request.hasTools()) {
            List<ToolSchemaText.Function> functions = new ArrayList<>();
            for (ToolDefinition tool : request.tools()) {
                functions.add(new ToolSchemaText.Function(names.upstream(tool.name()), tool.description(), tool.inputSchema()));
            }
            tokens += text(ToolSchemaText.render(functions)) + ToolSchemaText.OVERHEAD_TOKENS;
            tokens -= request.system().isEmpty() ? 0 : SYSTEM_WITH_TOOLS_SAVING;
            ToolChoice choice = request.toolChoice();
            if (choice != null && choice.mode() == ToolChoice.Mode.TOOL) {
                tokens += text(names.upstream(choice.name())) + 4;
            } else if (choice != null && choice.mode() == ToolChoice.Mode.NONE) {
                tokens += 1;
            }
        }
        return Math.max(tokens, 1);
    }

    /** Tool results travel as one tool message each, before the rest of the turn. */
    private int user(Message message) {
        int tokens = 0;
        int rest = 0;
        boolean hasRest = false;
        for (Block block : message.content()) {
            if (block instanceof Block.ToolResult result) {
                tokens += message("tool") + text(result.toolCallId()) + (result.isError() ? text("Error: ") : 0);
                for (Block part : result.content()) {
                    tokens += block(part);
                }
            } else {
                rest += block(block);
                hasRest = true;
            }
        }
        return tokens + (hasRest ? message("user") + rest : 0);
    }

    private int assistant(Message message, ToolNames names) {
        int tokens = message("assistant");
        for (Block block : message.content()) {
            if (block instanceof Block.ToolCall call) {
                tokens += TOKENS_PER_MESSAGE + text(names.upstream(call.name())) + text(call.arguments());
            } else {
                tokens += block(block);
            }
        }
        return tokens;
    }

    private int block(Block block) {
        return switch (block) {
            case Block.Text t -> text(t.text());
            case Block.Image i -> IMAGE_TOKENS;
            case Block.Document d when d.text() != null -> text(d.title()) + text(d.text());
            case Block.Document d -> pdfPages(d.data()) * PDF_PAGE_TOKENS;
            // Replayed reasoning never reaches a chat upstream (and Anthropic's own count ignores earlier turns' thinking).
            case Block.Thinking t -> 0;
            case Block.RedactedThinking r -> 0;
            case Block.ToolCall c -> text(c.name()) + text(c.arguments());
            case Block.ToolResult r -> r.content().stream().mapToInt(this::block).sum();
        };
    }

    private int message(String role) {
        return TOKENS_PER_MESSAGE + text(role);
    }

    /** Whether part of the last count was estimated rather than encoded (the input was very large). */
    boolean estimated() {
        return estimated;
    }

    private int text(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int tokens = 0;
        int start = 0;
        while (start < text.length()) {
            if (exactCharsLeft <= 0) {
                estimated = true;
                return tokens + (int) Math.ceil((text.length() - start) / CHARS_PER_TOKEN);
            }
            int end = pieceEnd(text, start);
            tokens += encoding.countTokensOrdinary(text.substring(start, end));
            exactCharsLeft -= end - start;
            start = end;
        }
        return tokens;
    }

    /** The end of the next piece: the whole rest if short, else just after the last whitespace in range. */
    private static int pieceEnd(String text, int start) {
        int limit = start + PIECE_CHARS;
        if (limit >= text.length()) {
            return text.length();
        }
        for (int i = limit; i > start + PIECE_CHARS / 2; i--) {
            if (Character.isWhitespace(text.charAt(i - 1))) {
                return i;
            }
        }
        if (Character.isHighSurrogate(text.charAt(limit - 1))) {
            limit--;  // never split a surrogate pair
        }
        return limit;
    }

    /** Pages of a base64 PDF, from its page objects; 1 when unreadable. */
    static int pdfPages(String base64) {
        if (base64 == null) {
            return 1;
        }
        try {
            String pdf = new String(Base64.getMimeDecoder().decode(base64), java.nio.charset.StandardCharsets.ISO_8859_1);
            Matcher m = PDF_PAGE.matcher(pdf);
            int pages = 0;
            while (m.find()) {
                pages++;
            }
            return Math.max(pages, 1);
        } catch (IllegalArgumentException e) {
            return 1;
        }
    }
}
