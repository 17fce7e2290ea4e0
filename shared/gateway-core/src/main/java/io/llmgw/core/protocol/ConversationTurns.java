package io.llmgw.core.protocol;

import io.llmgw.core.model.Block;
import io.llmgw.core.model.Message;
import io.llmgw.core.model.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * A canonical conversation as the strictly alternating turns that Anthropic's Messages and Bedrock's Converse
 * require: consecutive messages of one role merged into one turn, and parallel calls a client recorded one by
 * one folded back into the one assistant turn that made them.
 */
public final class ConversationTurns {
    /** One turn: a role and its blocks in order. */
    public record Turn(Role role, List<Block> blocks) {}

    private ConversationTurns() {}

    public static List<Turn> of(List<Message> conversation) {
        return foldInterleavedCalls(byRole(conversation));
    }

    private static List<Turn> byRole(List<Message> conversation) {
        List<Turn> turns = new ArrayList<>();
        for (Message message : conversation) {
            if (turns.isEmpty() || turns.get(turns.size() - 1).role() != message.role()) {
                turns.add(new Turn(message.role(), new ArrayList<>()));
            }
            turns.get(turns.size() - 1).blocks().addAll(message.content());
        }
        return turns;
    }

    /**
     * Parallel calls a client recorded one by one — call, output, call, output, as the OpenAI SDKs'
     * examples build the input — go back into the one assistant turn that made them, their results
     * into the one user turn after it. Split, the later calls would form assistant turns without the
     * thinking Claude expects at the start of each tool turn.
     */
    private static List<Turn> foldInterleavedCalls(List<Turn> turns) {
        List<Turn> folded = new ArrayList<>();
        boolean resultsFollow = false;
        for (Turn turn : turns) {
            int n = folded.size();
            if (turn.role() == Role.ASSISTANT && only(turn, Block.ToolCall.class) && n >= 2 && only(folded.get(n - 1), Block.ToolResult.class)
                    && folded.get(n - 2).blocks().stream().anyMatch(b -> b instanceof Block.ToolCall)) {
                folded.get(n - 2).blocks().addAll(turn.blocks());
                resultsFollow = true;
            } else if (resultsFollow && turn.role() == Role.USER) {
                folded.get(n - 1).blocks().addAll(turn.blocks());
                resultsFollow = false;
            } else {
                folded.add(turn);
                resultsFollow = false;
            }
        }
        return folded;
    }

    private static boolean only(Turn turn, Class<? extends Block> type) {
        return !turn.blocks().isEmpty() && turn.blocks().stream().allMatch(type::isInstance);
    }
}
