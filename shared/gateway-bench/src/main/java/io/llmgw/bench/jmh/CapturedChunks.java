package io.llmgw.bench.jmh;

import java.util.SplittableRandom;

/**
 * Builds a chunk stream shaped like OpenAI's current chat-completions streams: the full envelope
 * on every chunk ({@code service_tier}, {@code system_fingerprint}, {@code usage:null}), an
 * {@code obfuscation} padding field, content and arguments in token-sized pieces, then the finish
 * chunk, the usage chunk and {@code [DONE]}.
 */
final class CapturedChunks {
    private static final String[] WORDS = ("the gateway translates every chunk into events while the client reads them as they arrive and "
            + "nothing is buffered longer than one frame so latency stays low even for long answers with code like "
            + "`for (int i = 0; i < n; i++)` and \"quoted\" text, naïve accents, 日本語 and emoji 😀").split(" ");

    private final SplittableRandom random;
    private final StringBuilder sse = new StringBuilder(64 * 1024);
    private int events;

    CapturedChunks(SplittableRandom random) {
        this.random = random;
        chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null");
    }

    CapturedChunks text(int tokens) {
        return pieces("content", tokens);
    }

    CapturedChunks reasoning(int tokens) {
        return pieces("reasoning_content", tokens);
    }

    CapturedChunks toolCall(int index, String id, String name, String arguments) {
        chunk("{\"tool_calls\":[{\"index\":" + index + ",\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name
                + "\",\"arguments\":\"\"}}]}", "null");
        for (int at = 0; at < arguments.length(); at += 4) {
            String piece = arguments.substring(at, Math.min(arguments.length(), at + 4));
            chunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + quote(piece) + "}}]}", "null");
        }
        return this;
    }

    String finish(String reason) {
        chunk("{}", "\"" + reason + "\"");
        line("{\"id\":\"chatcmpl-BQx7x1d2Kc9y8Tz4rVwq\",\"object\":\"chat.completion.chunk\",\"created\":1760000000,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_07871e2ad8\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":2460,\"completion_tokens\":1000,\"total_tokens\":3460,\"prompt_tokens_details\":"
                + "{\"cached_tokens\":2048,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"obfuscation\":\"q3\"}");
        line("[DONE]");
        return sse.toString();
    }

    int events() {
        return events;
    }

    private CapturedChunks pieces(String field, int tokens) {
        for (int i = 0; i < tokens; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            chunk("{\"" + field + "\":" + quote((i == 0 ? "" : " ") + word) + "}", "null");
        }
        return this;
    }

    private void chunk(String delta, String finish) {
        line("{\"id\":\"chatcmpl-BQx7x1d2Kc9y8Tz4rVwq\",\"object\":\"chat.completion.chunk\",\"created\":1760000000,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_07871e2ad8\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}],"
                + "\"usage\":null,\"obfuscation\":\"" + "abcdefghij".substring(random.nextInt(9)) + "\"}");
    }

    private void line(String data) {
        sse.append("data: ").append(data).append("\n\n");
        events++;
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
