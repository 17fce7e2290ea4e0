package io.llmgw.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * The app as {@code cdk synth} builds it: cdk.json's context, overridden as {@code -c} would, both
 * stacks and the cdk-nag checks. Reads the artifacts the reactor built before this module.
 */
final class TestApps {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestApps() {}

    /** cdk.json's context, as the CDK CLI passes it to the app. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = JSON.readValue(Path.of("cdk.json").toFile(), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static App app(Map<String, ?> overrides) {
        Map<String, Object> context = new HashMap<>(cdkJsonContext());
        context.putAll(overrides);
        App app = App.Builder.create().context(context).build();
        GatewayCdkApp.build(app);
        return app;
    }

    static Stack stack(App app, String id) {
        return (Stack) app.getNode().findChild(id);
    }

    static Template template(App app, String id) {
        return Template.fromStack(stack(app, id));
    }

    /** cdk-nag's AwsSolutions findings left unsuppressed, as "rule: message at path". */
    static List<String> unsuppressedNagFindings(Stack stack) {
        Annotations annotations = Annotations.fromStack(stack);
        List<String> findings = new ArrayList<>();
        for (SynthesisMessage message : annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            findings.add("error " + message.getEntry().getData() + " at " + message.getId());
        }
        for (SynthesisMessage message : annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            findings.add("warning " + message.getEntry().getData() + " at " + message.getId());
        }
        return findings;
    }

    /** Every IAM policy statement of the template, as parsed JSON. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(Template template) {
        List<Map<String, Object>> all = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().forEach(policy -> {
            Map<String, Object> properties = (Map<String, Object>) policy.get("Properties");
            Map<String, Object> document = (Map<String, Object>) properties.get("PolicyDocument");
            all.addAll((List<Map<String, Object>>) document.get("Statement"));
        });
        return all;
    }

    /** A statement's actions as a list (a single action is a string in the template). */
    @SuppressWarnings("unchecked")
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> overrides(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
