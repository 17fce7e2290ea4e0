package io.llmgw.state.dynamodb;

import io.llmgw.core.config.ConfigException;
import io.llmgw.core.config.ConfigValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code state:} options of the DynamoDB store, checked before any client exists.
 *
 * @param table    the table's name ({@code state.table}, {@code GATEWAY_STATE_TABLE})
 * @param region   the AWS region; empty means the SDK's chain ({@code AWS_REGION}, the profile, instance metadata)
 * @param endpoint another DynamoDB endpoint (DynamoDB Local, dynalite, a VPC endpoint) ({@code GATEWAY_STATE_ENDPOINT})
 * @param timeout  the longest one store operation may take, retries included
 */
record DynamoDbSettings(String table, Optional<String> region, Optional<URI> endpoint, Duration timeout) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    // DynamoDB's rules for table names
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    static DynamoDbSettings parse(Map<String, String> options) {
        String table = trimmed(options.get("table"));
        if (table == null) {
            throw new ConfigException("state.table (or GATEWAY_STATE_TABLE): required for store dynamodb; name the table "
                    + "(keys pk and sk, strings; TTL on expires_at) — template.yaml with CreateStateTable=true creates one");
        }
        if (!TABLE.matcher(table).matches()) {
            throw new ConfigException("state.table (or GATEWAY_STATE_TABLE): '" + table + "' is not a DynamoDB table name; "
                    + "use 3 to 255 letters, digits, '_', '-' or '.'");
        }
        String region = trimmed(options.get("region"));
        if (region != null && !REGION.matcher(region).matches()) {
            throw new ConfigException("state.region: '" + region + "' is not an AWS region; write e.g. us-east-1, "
                    + "or leave it out to use AWS_REGION");
        }
        String endpoint = trimmed(options.get("endpoint"));
        String timeout = trimmed(options.get("timeout"));
        return new DynamoDbSettings(table, Optional.ofNullable(region),
                Optional.ofNullable(endpoint).map(DynamoDbSettings::endpoint),
                timeout == null ? DEFAULT_TIMEOUT : ConfigValues.duration(timeout, "state.timeout", "s"));
    }

    private static URI endpoint(String value) {
        String source = "state.endpoint (or GATEWAY_STATE_ENDPOINT)";
        // a URL may carry credentials (http://user:secret@host); they never go into a message
        String shown = value.replaceAll("//[^/@]*@", "//***@");
        if (!shown.equals(value)) {
            throw new ConfigException(source + ": '" + shown + "' carries credentials in the URL; the store signs its requests "
                    + "with the AWS credential chain (the role, AWS_ACCESS_KEY_ID) instead");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(source + ": '" + value + "' is not a URL; write e.g. http://localhost:8000 for DynamoDB Local");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ConfigException(source + ": '" + value + "' is not an absolute http(s) URL; write e.g. http://localhost:8000 "
                    + "for DynamoDB Local, or leave it out to use the region's DynamoDB");
        }
        return uri;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
