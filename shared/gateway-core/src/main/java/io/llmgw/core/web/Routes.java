package io.llmgw.core.web;

import io.llmgw.core.error.ErrorFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table: exact paths, path patterns with named groups, and which error format answers
 * for a path no route matched (so even a 404 comes in the dialect the client speaks).
 */
public final class Routes {
    /** A matched route: the endpoint and the pattern's named groups. */
    public record Match(Endpoint endpoint, Map<String, String> pathParams) {}

    private final Map<String, Endpoint> exact = new HashMap<>();
    private record PatternRoute(Pattern path, Endpoint endpoint, String[] groupNames) {}

    private final List<PatternRoute> patterns = new ArrayList<>();
    private final Map<String, ErrorFormat> errorFormats = new LinkedHashMap<>();
    private final ErrorFormat defaultErrors;

    public Routes(ErrorFormat defaultErrors) {
        this.defaultErrors = defaultErrors;
    }

    public Routes add(String path, Endpoint endpoint) {
        if (exact.putIfAbsent(path, endpoint) != null) {
            throw new IllegalStateException("two endpoints for " + path);
        }
        return this;
    }

    /** A path pattern; named groups {@code (?<name>…)} become path parameters. */
    public Routes add(Pattern path, Endpoint endpoint, String... groupNames) {
        patterns.add(new PatternRoute(path, endpoint, groupNames));
        return this;
    }

    /** Paths starting with {@code prefix} get errors in {@code format} when nothing else decides. */
    public Routes errorFormat(String prefix, ErrorFormat format) {
        errorFormats.put(prefix, format);
        return this;
    }

    public Match match(String path) {
        Endpoint endpoint = exact.get(path);
        if (endpoint != null) {
            return new Match(endpoint, Map.of());
        }
        for (PatternRoute route : patterns) {
            Matcher m = route.path().matcher(path);
            if (m.matches()) {
                Map<String, String> params = new HashMap<>();
                for (String group : route.groupNames()) {
                    params.put(group, m.group(group));
                }
                return new Match(route.endpoint(), params);
            }
        }
        return null;
    }

    public ErrorFormat errorsFor(String path) {
        for (Map.Entry<String, ErrorFormat> entry : errorFormats.entrySet()) {
            if (path.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return defaultErrors;
    }
}
