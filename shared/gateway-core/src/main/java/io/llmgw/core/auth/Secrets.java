package io.llmgw.core.auth;

/** Helpers that keep secrets out of logs and messages. */
public final class Secrets {
    private Secrets() {}

    /** First 6 and last 4 characters; values under 20 characters (where that would show half) are hidden entirely. */
    public static String mask(String secret) {
        if (secret == null) {
            return null;
        }
        if (secret.length() < 20) {
            return "****";
        }
        return secret.substring(0, 6) + "..." + secret.substring(secret.length() - 4);
    }

    /** Replaces every occurrence of each secret in {@code text} by its mask. */
    public static String scrub(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 8 && out.contains(secret)) {
                out = out.replace(secret, mask(secret));
            }
        }
        return out;
    }
}
