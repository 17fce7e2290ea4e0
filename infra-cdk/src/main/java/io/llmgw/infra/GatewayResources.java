package io.llmgw.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * What the gateway uses besides compute, the same on every platform: the Secrets Manager secret
 * with its configuration variables, the optional DynamoDB state table, and the Bedrock models it
 * may call. {@link #grantTo} gives a function or task role exactly these and nothing else.
 */
final class GatewayResources extends Construct {
    /** Where the gateway finds the state table (limits, cache); set only when the table exists. */
    static final String STATE_TABLE_VARIABLE = "GATEWAY_STATE_TABLE";
    /** The TTL attribute: an item's expiry in epoch seconds. DynamoDB deletes expired items by itself. */
    static final String TTL_ATTRIBUTE = "expires_at";

    private final Settings settings;
    private final ISecret secret;
    private final Table table;

    GatewayResources(Construct scope, String id, Settings settings) {
        super(scope, id);
        this.settings = settings;
        this.secret = settings.secretArn() == null ? createSecret(settings) : importSecret(settings.secretArn());
        this.table = settings.createStateTable() ? createTable() : null;
    }

    ISecret secret() {
        return secret;
    }

    /** The state table, or null when the context did not ask for one. */
    Table table() {
        return table;
    }

    /** The variables that point the gateway at these resources. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (table != null) {
            env.put(STATE_TABLE_VARIABLE, table.getTableName());
        }
        return env;
    }

    /** Least privilege: read this one secret; read and write this one table's items; invoke the configured models. */
    void grantTo(IGrantable grantee) {
        grantSecretRead(grantee);
        grantData(grantee);
    }

    /** Read this one secret (GetSecretValue, DescribeSecret on its ARN). */
    void grantSecretRead(IGrantable grantee) {
        secret.grantRead(grantee);
    }

    /** What the running gateway calls: this table's items (when it exists) and the configured Bedrock models. */
    void grantData(IGrantable grantee) {
        if (table != null) {
            table.grantReadWriteData(grantee);
        }
        List<String> models = bedrockModelArns();
        if (!models.isEmpty()) {
            grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"))
                    .resources(models)
                    .build());
        }
    }

    /** Model ids become foundation-model ARNs in the stack's region; ARNs (inference profiles) are taken as given. */
    List<String> bedrockModelArns() {
        List<String> arns = new ArrayList<>();
        for (String model : settings.bedrockModels()) {
            arns.add(model.startsWith("arn:") ? model
                    : "arn:" + Aws.PARTITION + ":bedrock:" + Aws.REGION + "::foundation-model/" + model);
        }
        return arns;
    }

    private Secret createSecret(Settings s) {
        // Every key the containers read must exist in the JSON (ECS and App Runner fail a task whose
        // secret lacks one); PROXY_API_KEY is generated, the others start empty for the operator to fill.
        StringBuilder template = new StringBuilder("{");
        for (String key : s.secretKeys()) {
            if (!key.equals("PROXY_API_KEY")) {
                template.append(template.length() > 1 ? "," : "").append('"').append(key).append("\":\"\"");
            }
        }
        template.append('}');
        Secret created = Secret.Builder.create(this, "Secret")
                .description("LLM gateway configuration variables (JSON object). PROXY_API_KEY is the key clients use; "
                        + "put the upstream key in AZURE_OPENAI_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY.")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate(template.toString())
                        .generateStringKey("PROXY_API_KEY")
                        .passwordLength(48)
                        .excludePunctuation(true)
                        .build())
                .build();
        Nag.suppress(created, "AwsSolutions-SMG4", "The secret holds API keys issued by the upstream providers (Azure OpenAI, "
                + "OpenAI, Anthropic), which Secrets Manager cannot rotate, and the gateway key that clients are configured with. "
                + "They are rotated by writing a new value (README, Secrets): the Lambda function rereads it within a minute, "
                + "containers at their next deployment.");
        return created;
    }

    private ISecret importSecret(String arn) {
        // A complete ARN ends in the 6-character suffix Secrets Manager adds; the grant then names exactly that secret.
        boolean complete = arn.matches(".*:secret:.+-[A-Za-z0-9]{6}$");
        return complete ? Secret.fromSecretCompleteArn(this, "Secret", arn) : Secret.fromSecretPartialArn(this, "Secret", arn);
    }

    private Table createTable() {
        return Table.Builder.create(this, "StateTable")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(TTL_ATTRIBUTE)
                .encryption(TableEncryption.AWS_MANAGED)
                // Budgets and stored responses outlive any single request; a restore point costs little.
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }
}
