package io.llmgw.core.limits;

import io.llmgw.core.auth.Identity;
import io.llmgw.core.config.AccessConfig;
import io.llmgw.core.config.AccessConfig.Policy;
import io.llmgw.core.error.ErrorKind;
import io.llmgw.core.error.GatewayError;
import io.llmgw.core.pipeline.ModelCall;
import io.llmgw.core.pipeline.ModelFilter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A key, token or team with an allowed-model list may call only those models: anything else is a
 * 403 in the client's dialect, before any limit is counted.
 */
final class ModelAccessFilter implements ModelFilter.Check {
    private final AccessConfig access;

    ModelAccessFilter(AccessConfig access) {
        this.access = access;
    }

    @Override
    public void check(ModelCall call) {
        Identity identity = call.exchange().ctx().identity();
        if (identity != null) {
            Policy team = Scope.team(identity, access);
            if (!allows(identity.policy().models(), call.model()) || team != null && !allows(team.models(), call.model())) {
                throw GatewayError.of(ErrorKind.PERMISSION, "This key may not use the model '" + call.model() + "'.",
                        "model_not_allowed").withParam("model").exception();
            }
        }
    }

    /** Whether {@code model} matches one of {@code globs} ({@code *} is any run of characters); an empty list allows all. */
    static boolean allows(List<String> globs, String model) {
        if (globs.isEmpty()) {
            return true;
        }
        for (String glob : globs) {
            if (matches(glob, model)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String glob, String model) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.matches(regex.toString(), model);
    }
}
