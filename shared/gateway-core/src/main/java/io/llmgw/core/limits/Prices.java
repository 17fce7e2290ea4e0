package io.llmgw.core.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.llmgw.core.config.AccessConfig.Price;
import io.llmgw.core.model.Usage;
import io.llmgw.core.spi.Deployment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What tokens cost. In order: {@code prices:} in the configuration for the name the client asked
 * for, the deployment's upstream model or the model the upstream reported; the deployment's own
 * {@code cost:}; the built-in table ({@code prices.tsv}) by the longest matching prefix of the
 * reported or configured upstream model. Unknown models cost nothing and say so (null).
 */
public final class Prices {
    private static final Map<String, Price> BUILT_IN = load();
    /*
     * The built-in price of each model name seen, found or not: the prefix search allocates a string per
     * name part, on every request. Bounded, as reported names come from upstreams.
     */
    private static final Cache<String, Optional<Price>> BUILT_IN_BY_NAME = Caffeine.newBuilder().maximumSize(1024).build();

    private final Map<String, Price> configured;

    public Prices(Map<String, Price> configured) {
        this.configured = configured;
    }

    /** The price of a call, or null when no source knows the model. */
    public Price find(String requestedModel, Deployment deployment, String reportedModel) {
        for (String name : new String[] {requestedModel, deployment == null ? null : deployment.upstreamModel(), reportedModel}) {
            if (name != null && configured.containsKey(name)) {
                return configured.get(name);
            }
        }
        if (deployment != null && deployment.cost() != null) {
            double in = deployment.cost().inputPerMtok();
            return new Price(in, deployment.cost().outputPerMtok(), in, in);
        }
        Price reported = builtIn(reportedModel);
        return reported != null ? reported : builtIn(deployment == null ? null : deployment.upstreamModel());
    }

    /**
     * US dollars for {@code usage}. Usage counts in OpenAI's convention (input includes cached and
     * cache-written tokens; output includes reasoning), so each input token is priced once.
     */
    public static double cost(Price price, Usage usage) {
        return (usage.uncachedInput() * price.inputPerMtok() + usage.cacheRead() * price.cacheReadPerMtok()
                + usage.cacheWrite() * price.cacheWritePerMtok() + usage.output() * price.outputPerMtok()) / 1_000_000;
    }

    /** The worst case of a call before it runs: its input at the input price and its output cap at the output price. */
    public static double worstCase(Price price, long inputTokens, long outputTokens) {
        return (inputTokens * price.inputPerMtok() + outputTokens * price.outputPerMtok()) / 1_000_000;
    }

    static Price builtIn(String model) {
        return model == null ? null : BUILT_IN_BY_NAME.get(model, Prices::lookUp).orElse(null);
    }

    private static Optional<Price> lookUp(String model) {
        return Optional.ofNullable(builtInPrefix(model));
    }

    private static Price builtInPrefix(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        int claude = name.indexOf("claude-");  // Bedrock and Vertex ids: us.anthropic.claude-sonnet-4-5-…, claude-…@date
        if (claude > 0) {
            name = name.substring(claude);
        }
        // The longest name part first: a few lookups where the name ends a part, not a scan of the table per request.
        for (int end = name.length(); end > 0; end--) {
            if (endsAtBoundary(name, end)) {
                Price price = BUILT_IN.get(name.substring(0, end));
                if (price != null) {
                    return price;
                }
            }
        }
        return null;
    }

    /** {@code gpt-4o} prices {@code gpt-4o-2024-08-06} but not {@code gpt-4oz}: the prefix must end a name part. */
    private static boolean endsAtBoundary(String name, int end) {
        return end == name.length() || !Character.isLetterOrDigit(name.charAt(end));
    }

    private static Map<String, Price> load() {
        Map<String, Price> prices = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Prices.class.getResourceAsStream("prices.tsv"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                prices.put(f[0], new Price(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(prices);
    }
}
