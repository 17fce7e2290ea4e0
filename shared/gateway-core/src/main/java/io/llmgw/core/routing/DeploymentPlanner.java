package io.llmgw.core.routing;

import io.llmgw.core.spi.Deployment;

import io.llmgw.core.config.GatewayConfig;
import io.llmgw.core.resilience.HealthRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders a route's deployments for one request by its strategy: the first is tried first, the
 * rest are the failover order. Deployments whose known context window is smaller than the
 * request's estimated tokens are left out.
 */
final class DeploymentPlanner {
    /** Output tokens assumed by the cost strategy when the client set no limit. */
    static final int ASSUMED_OUTPUT_TOKENS = 1024;

    private final HealthRegistry health;
    private final Map<String, AtomicLong> rotations = new ConcurrentHashMap<>();

    DeploymentPlanner(HealthRegistry health) {
        this.health = health;
    }

    List<Deployment> order(Route route, int estimatedTokens, Integer requestedOutputTokens) {
        List<Deployment> fitting = new ArrayList<>();
        for (Deployment d : route.deployments()) {
            if (fits(d, estimatedTokens)) {
                fitting.add(d);
            }
        }
        return switch (route.strategy()) {
            case PRIORITY -> fitting;
            case ROUND_ROBIN -> rotated(fitting, rotations.computeIfAbsent(route.configuredName(), k -> new AtomicLong()));
            case WEIGHTED -> weighted(fitting);
            case LEAST_LATENCY -> byLatency(fitting);
            case COST -> byCost(fitting, estimatedTokens, requestedOutputTokens);
        };
    }

    static boolean fits(Deployment d, int estimatedTokens) {
        return d.contextWindow() == null || d.contextWindow() >= estimatedTokens;
    }

    private static List<Deployment> rotated(List<Deployment> list, AtomicLong counter) {
        if (list.size() < 2) {
            return list;
        }
        int start = (int) Math.floorMod(counter.getAndIncrement(), (long) list.size());
        List<Deployment> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((start + i) % list.size()));
        }
        return out;
    }

    /** Weighted random order without replacement: the first pick follows the weights exactly. */
    private static List<Deployment> weighted(List<Deployment> list) {
        List<Deployment> pool = new ArrayList<>(list);
        List<Deployment> out = new ArrayList<>(list.size());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!pool.isEmpty()) {
            long total = pool.stream().mapToLong(Deployment::weight).sum();
            long pick = random.nextLong(total);
            for (int i = 0; i < pool.size(); i++) {
                pick -= pool.get(i).weight();
                if (pick < 0) {
                    out.add(pool.remove(i));
                    break;
                }
            }
        }
        return out;
    }

    /** Fastest average time to first token first; deployments never measured go first so they get measured. */
    private List<Deployment> byLatency(List<Deployment> list) {
        List<Deployment> out = new ArrayList<>(list);
        out.sort(Comparator.comparingDouble(d -> {
            double ewma = health.deployment(d.label()).latencyEwmaMillis();
            return Double.isNaN(ewma) ? -1 : ewma;
        }));
        return out;
    }

    /** Cheapest expected price first; deployments without prices go last, in configuration order. */
    private static List<Deployment> byCost(List<Deployment> list, int inputTokens, Integer outputTokens) {
        int output = outputTokens == null ? ASSUMED_OUTPUT_TOKENS : outputTokens;
        List<Deployment> out = new ArrayList<>(list);
        out.sort(Comparator.comparingDouble(d -> price(d.cost(), inputTokens, output)));
        return out;
    }

    private static double price(GatewayConfig.Cost cost, int input, int output) {
        return cost == null ? Double.MAX_VALUE : (cost.inputPerMtok() * input + cost.outputPerMtok() * output) / 1e6;
    }
}
