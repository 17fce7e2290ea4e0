package io.llmgw.lambda.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgw.core.json.Json;
import io.llmgw.core.secrets.SecretException;
import io.llmgw.core.secrets.SecretSource;
import io.llmgw.core.secrets.SecretVariables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The gateway's secret in AWS Secrets Manager: one JSON object whose keys become configuration
 * variables ({@code {"AZURE_OPENAI_API_KEY":"…","PROXY_API_KEY":"…"}}), named by
 * {@code GATEWAY_SECRET_ID}. {@link SecretVariables} decides when it is read; the version id is
 * the snapshot's version.
 */
public final class SecretsManagerSource implements SecretSource {
    private final SecretsManagerClient client;
    private final String secretId;

    public SecretsManagerSource(SecretsManagerClient client, String secretId) {
        this.client = client;
        this.secretId = secretId.trim();
    }

    @Override
    public String name() {
        return secretId;
    }

    @Override
    public Snapshot read() {
        GetSecretValueResponse response = fetch();
        return new Snapshot(parse(response), response.versionId());
    }

    private GetSecretValueResponse fetch() {
        try {
            return client.getSecretValue(request -> request.secretId(secretId));
        } catch (ResourceNotFoundException e) {
            throw new SecretException("GATEWAY_SECRET_ID: the secret '" + secretId + "' does not exist (ResourceNotFoundException); "
                    + "create it, or set GATEWAY_SECRET_ID to the name or ARN of an existing secret in this account and region", e);
        } catch (SecretsManagerException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("AccessDeniedException".equals(code)) {
                throw new SecretException("GATEWAY_SECRET_ID: not allowed to read the secret '" + secretId + "' (AccessDeniedException); "
                        + "grant the function's role secretsmanager:GetSecretValue on it (and kms:Decrypt on its key if it "
                        + "uses a customer-managed KMS key)", e);
            }
            if ("DecryptionFailure".equals(code) || "DecryptionFailureException".equals(code)) {
                throw new SecretException("GATEWAY_SECRET_ID: the secret '" + secretId + "' could not be decrypted (" + code
                        + "); grant the function's role kms:Decrypt on the secret's KMS key", e);
            }
            throw new SecretException("GATEWAY_SECRET_ID: reading the secret '" + secretId + "' failed (" + code + ", HTTP "
                    + e.statusCode() + "); check that it exists and that the function's role may read it", e);
        } catch (SdkClientException e) {
            throw new SecretException("GATEWAY_SECRET_ID: could not reach Secrets Manager to read '" + secretId + "' ("
                    + firstLine(e.getMessage()) + "); check AWS_REGION, the function's network access (a VPC needs a "
                    + "Secrets Manager endpoint or NAT) and its credentials", e);
        } catch (SdkException e) {
            throw new SecretException("GATEWAY_SECRET_ID: reading the secret '" + secretId + "' failed ("
                    + firstLine(e.getMessage()) + ")", e);
        }
    }

    private Map<String, String> parse(GetSecretValueResponse response) {
        String shape = "store a JSON object of strings, e.g. {\"AZURE_OPENAI_API_KEY\":\"...\",\"PROXY_API_KEY\":\"...\"}";
        if (response.secretString() == null) {
            throw new SecretException("GATEWAY_SECRET_ID: the secret '" + secretId + "' holds binary data, not text; " + shape);
        }
        JsonNode root;
        try {
            root = Json.parse(response.secretString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SecretException("GATEWAY_SECRET_ID: the secret '" + secretId + "' is not valid JSON; " + shape);
        }
        if (!root.isObject()) {
            throw new SecretException("GATEWAY_SECRET_ID: the secret '" + secretId + "' is JSON but not an object; " + shape);
        }
        Map<String, String> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
                throw new SecretException("GATEWAY_SECRET_ID: the key '" + entry.getKey() + "' of secret '" + secretId
                        + "' is not a string; " + shape);
            }
            parsed.put(entry.getKey(), value.asText());
        }
        return java.util.Collections.unmodifiableMap(parsed);
    }

    private static String firstLine(String message) {
        String text = Objects.requireNonNullElse(message, "no detail");
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
