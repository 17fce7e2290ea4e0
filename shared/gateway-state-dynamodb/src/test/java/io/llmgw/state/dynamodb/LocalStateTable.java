package io.llmgw.state.dynamodb;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The state table as the templates create it (keys pk and sk, strings; on demand), made on a
 * local DynamoDB-protocol server, and a client of our own to look at its items directly. The
 * signing credentials are placeholders: the local server does not check signatures.
 */
public final class LocalStateTable {
    static final String REGION = "us-east-1";

    private LocalStateTable() {}

    /**
     * The store's options for {@code table} at {@code endpoint}, as {@code state:} would give them.
     * The timeout is longer than the 2 s default: a single-threaded local server on a shared
     * two-core machine answers 20 racing clients slowly, and these tests are about atomicity.
     */
    static Map<String, String> options(URI endpoint, String table) {
        return Map.of("table", table, "region", REGION, "endpoint", endpoint.toString(), "timeout", "10s");
    }

    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fake-access-key-id", "fake-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static void create(URI endpoint, String table) {
        try (DynamoDbClient client = client(endpoint)) {
            client.createTable(create -> create.tableName(table)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            client.waiter().waitUntilTableExists(exists -> exists.tableName(table));
        }
    }
}
