package io.llmgw.state.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The counters' check-and-add, run inside Redis as Lua so that no other client's command comes
 * between reading a total and writing it. A counter is created with {@code SET ... PXAT} — its
 * window ends at the absolute time the caller gave — and later writes use {@code INCRBY}, which
 * keeps that expiry. Lua numbers are doubles: totals are exact up to 2^53, far beyond any budget
 * in tokens or micro-dollars.
 */
final class CounterScripts {
    /** KEYS[1] counter; ARGV amount, limit, expiry (epoch ms). Returns {granted 0/1, total after}. */
    private static final Script RESERVE = new Script("""
            local current = redis.call('GET', KEYS[1])
            local amount = tonumber(ARGV[1])
            local limit = tonumber(ARGV[2])
            if not current then
              if amount > limit then return {0, 0} end
              redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[3])
              return {1, amount}
            end
            if tonumber(current) + amount > limit then return {0, tonumber(current)} end
            return {1, redis.call('INCRBY', KEYS[1], ARGV[1])}
            """);

    /** KEYS[1] counter; ARGV delta, expiry (epoch ms). Returns the total after. */
    private static final Script ADD = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
            redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
            return tonumber(ARGV[1])
            """);

    private CounterScripts() {}

    /** {granted, total} as {@link io.llmgw.core.state.StateStore#reserve} returns them. */
    static List<Long> reserve(RedisCommands<String, byte[]> redis, String key, long amount, long limit, long expiresAtMillis) {
        return RESERVE.run(redis, ScriptOutputType.MULTI, key, amount, limit, expiresAtMillis);
    }

    static long add(RedisCommands<String, byte[]> redis, String key, long delta, long expiresAtMillis) {
        Long total = ADD.run(redis, ScriptOutputType.INTEGER, key, delta, expiresAtMillis);
        return total;
    }

    /** A script sent by its SHA-1 ({@code EVALSHA}), and in full once when the server does not know it yet. */
    private record Script(String source, String sha) {
        Script(String source) {
            this(source, sha1(source));
        }

        <T> T run(RedisCommands<String, byte[]> redis, ScriptOutputType output, String key, long... arguments) {
            String[] keys = {key};
            byte[][] values = new byte[arguments.length][];
            for (int i = 0; i < arguments.length; i++) {
                values[i] = Long.toString(arguments[i]).getBytes(StandardCharsets.US_ASCII);
            }
            try {
                return redis.evalsha(sha, output, keys, values);
            } catch (RedisNoScriptException e) {
                // a new or restarted server (or SCRIPT FLUSH): EVAL runs it and caches it for the next EVALSHA
                return redis.eval(source, output, keys, values);
            }
        }

        private static String sha1(String source) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-1", e);
            }
        }
    }
}
