package io.llmgw.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The app's settings, from CDK context ({@code cdk.json}, or {@code -c key=value} on the command
 * line, which arrives as a string). Every value is checked here, so a typo stops the synth with a
 * message naming the key and what it accepts instead of producing a template that fails to deploy.
 *
 * @param repositoryRoot    where functions/ lives (context {@code repositoryRoot}, default {@code ..}: cdk.json's folder is infra-cdk)
 * @param secretArn         an existing Secrets Manager secret (JSON object of configuration variables), or null to create one
 * @param secretKeys        the keys of that JSON object the container gets as environment variables
 * @param containerPlatform {@code express} (ECS Express Mode) or {@code apprunner} (existing App Runner accounts)
 * @param lambdaMemoryMb    the function's memory
 * @param architecture      {@code arm64} or {@code x86_64}, for the function
 * @param containerCpu      ECS CPU units (256 … 4096) or App Runner vCPU in the same units (256 = 0.25 vCPU)
 * @param containerMemoryMb the container's memory
 * @param minTasks          the fewest containers kept running
 * @param maxTasks          the most containers auto scaling starts
 * @param createStateTable  whether to create the DynamoDB state table (limits, cache) and grant access to it
 * @param logRetentionDays  how long CloudWatch keeps the gateway's logs
 * @param publicUrl         whether the Lambda function URL is public (AuthType NONE; the gateway checks its own keys) or needs SigV4 (AWS_IAM)
 * @param environment       plain configuration variables for the gateway (e.g. AZURE_OPENAI_ENDPOINT), on every platform
 * @param bedrockModels     Bedrock model ids or ARNs the gateway may invoke; empty grants no Bedrock access
 * @param alarmTopicArn     an SNS topic the alarms notify, or null
 * @param metricsNamespace  the CloudWatch namespace of the gateway's EMF metrics
 * @param serviceName       the container service's name (ECS Express Mode, App Runner)
 */
public record Settings(
        Path repositoryRoot, String secretArn, List<String> secretKeys, String containerPlatform, int lambdaMemoryMb,
        String architecture, int containerCpu, int containerMemoryMb, int minTasks, int maxTasks, boolean createStateTable,
        int logRetentionDays, boolean publicUrl, Map<String, String> environment, List<String> bedrockModels,
        String alarmTopicArn, String metricsNamespace, String serviceName) {

    static final String EXPRESS = "express";
    static final String APP_RUNNER = "apprunner";
    private static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
            1096, 1827, 2192, 2557, 2922, 3288, 3653);
    private static final Pattern SECRET_ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{3,39}");
    /** Fargate's CPU units and the memory (MiB) each allows. */
    private static final Map<Integer, int[]> FARGATE_MEMORY = Map.of(256, new int[] {512, 2048}, 512, new int[] {1024, 4096},
            1024, new int[] {2048, 8192}, 2048, new int[] {4096, 16384}, 4096, new int[] {8192, 30720});
    /** App Runner's vCPU (as CPU units) and the memory sizes (MiB) each allows. */
    private static final Map<Integer, List<Integer>> APP_RUNNER_MEMORY = Map.of(256, List.of(512, 1024), 512, List.of(1024),
            1024, List.of(2048, 3072, 4096), 2048, List.of(4096), 4096, List.of(8192, 10240, 12288));

    /** Reads and checks every setting; {@code context} is {@code node.tryGetContext}. */
    public static Settings from(Function<String, Object> context) {
        Reader r = new Reader(context);
        String platform = r.oneOf("containerPlatform", EXPRESS, EXPRESS, APP_RUNNER);
        int cpu = r.integer("containerCpu", 512, 256, 4096);
        int memory = r.integer("containerMemory", 1024, 512, 30720);
        int min = r.integer("minTasks", 1, 1, 25);
        int max = r.integer("maxTasks", 10, 1, 25);
        if (max < min) {
            throw new IllegalArgumentException("context maxTasks (" + max + ") is below minTasks (" + min + "); raise maxTasks");
        }
        checkContainerSize(platform, cpu, memory);
        String serviceName = r.text("serviceName", "llm-gateway");
        if (!SERVICE_NAME.matcher(serviceName).matches()) {
            throw new IllegalArgumentException("context serviceName: '" + serviceName + "' must be 4-40 letters, digits, - or _");
        }
        int retention = r.integer("logRetentionDays", 30, 1, 3653);
        if (!RETENTION_DAYS.contains(retention)) {
            throw new IllegalArgumentException("context logRetentionDays: CloudWatch takes one of " + new java.util.TreeSet<>(RETENTION_DAYS)
                    + ", got " + retention);
        }
        String secretArn = r.text("secretArn", null);
        if (secretArn != null && !SECRET_ARN.matcher(secretArn).matches()) {
            throw new IllegalArgumentException("context secretArn: '" + secretArn
                    + "' is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)");
        }
        List<String> secretKeys = r.list("secretKeys", List.of("PROXY_API_KEY", "AZURE_OPENAI_API_KEY"));
        for (String key : secretKeys) {
            if (!VARIABLE.matcher(key).matches()) {
                throw new IllegalArgumentException("context secretKeys: '" + key + "' is not an environment variable name (A-Z, 0-9, _)");
            }
        }
        Map<String, String> environment = r.map("environment");
        for (String name : environment.keySet()) {
            if (!VARIABLE.matcher(name).matches()) {
                throw new IllegalArgumentException("context environment: '" + name + "' is not an environment variable name (A-Z, 0-9, _)");
            }
            if (secretKeys.contains(name) || name.endsWith("_API_KEY") || name.startsWith("PROXY_API_KEY")) {
                throw new IllegalArgumentException("context environment: " + name + " is a secret; put it in the Secrets Manager secret "
                        + "(and its name in secretKeys), not in plain environment variables");
            }
        }
        return new Settings(
                Path.of(r.text("repositoryRoot", "..")).toAbsolutePath().normalize(),
                secretArn,
                secretKeys,
                platform,
                r.integer("memory", 1024, 256, 10240),
                r.oneOf("architecture", "arm64", "arm64", "x86_64"),
                cpu, memory, min, max,
                r.bool("createStateTable", false),
                retention,
                r.oneOf("urlAuthType", "NONE", "NONE", "AWS_IAM").equals("NONE"),
                environment,
                r.list("bedrockModels", List.of()),
                r.text("alarmTopicArn", null),
                r.text("metricsNamespace", "LlmGateway"),
                serviceName);
    }

    private static void checkContainerSize(String platform, int cpu, int memory) {
        if (platform.equals(APP_RUNNER)) {
            List<Integer> allowed = APP_RUNNER_MEMORY.get(cpu);
            if (allowed == null || !allowed.contains(memory)) {
                throw new IllegalArgumentException("context containerCpu/containerMemory: App Runner has no " + cpu + " CPU units with "
                        + memory + " MiB; it takes " + new TreeMap<>(APP_RUNNER_MEMORY) + " (CPU units: MiB, 1024 units = 1 vCPU)");
            }
            return;
        }
        int[] range = FARGATE_MEMORY.get(cpu);
        if (range == null || memory < range[0] || memory > range[1] || memory % 1024 != 0 && !(cpu == 256 && memory == 512)) {
            throw new IllegalArgumentException("context containerCpu/containerMemory: Fargate has no " + cpu + " CPU units with " + memory
                    + " MiB; CPU is 256, 512, 1024, 2048 or 4096, memory a multiple of 1024 within 512-2048, 1024-4096, "
                    + "2048-8192, 4096-16384 or 8192-30720 MiB respectively");
        }
    }

    /** {@code functions/aws-lambda/target/gateway-lambda.zip}, which must have been built. */
    Path lambdaZip() {
        return built(repositoryRoot.resolve("functions/aws-lambda/target/gateway-lambda.zip"));
    }

    /** {@code functions/app}: the Dockerfile's build context, with the built jar in it. */
    Path containerContext() {
        built(repositoryRoot.resolve("functions/app/target/gateway-app.jar"));
        return repositoryRoot.resolve("functions/app");
    }

    private static Path built(Path artifact) {
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalArgumentException(artifact + " does not exist; build it first: ./mvnw -B -DskipTests package "
                    + "(or set context repositoryRoot to the repository's root)");
        }
        return artifact;
    }

    /** Typed access to context values, which are JSON values from cdk.json or strings from {@code -c}. */
    private record Reader(Function<String, Object> context) {
        String text(String key, String fallback) {
            Object value = context.apply(key);
            if (value == null || value.toString().isBlank()) {
                return fallback;
            }
            return value.toString().trim();
        }

        String oneOf(String key, String fallback, String... allowed) {
            String value = text(key, fallback);
            for (String candidate : allowed) {
                if (candidate.equalsIgnoreCase(value)) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException("context " + key + ": '" + value + "' is not one of " + String.join(", ", allowed));
        }

        int integer(String key, int fallback, int min, int max) {
            String value = text(key, null);
            if (value == null) {
                return fallback;
            }
            try {
                int n = (int) Double.parseDouble(value);
                if (n >= min && n <= max && n == Double.parseDouble(value)) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("context " + key + ": '" + value + "' is not a whole number from " + min + " to " + max);
        }

        boolean bool(String key, boolean fallback) {
            String value = text(key, null);
            if (value == null) {
                return fallback;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("context " + key + ": '" + value + "' is not true or false");
            };
        }

        /** A JSON array, or a comma-separated string from the command line. */
        List<String> list(String key, List<String> fallback) {
            Object value = context.apply(key);
            if (value == null) {
                return fallback;
            }
            List<String> items = new ArrayList<>();
            if (value instanceof List<?> list) {
                list.forEach(item -> items.add(String.valueOf(item).trim()));
            } else {
                for (String item : value.toString().split(",")) {
                    items.add(item.trim());
                }
            }
            items.removeIf(String::isEmpty);
            return List.copyOf(items);
        }

        /** A JSON object of strings, or {@code NAME=value,NAME=value} from the command line. */
        Map<String, String> map(String key) {
            Object value = context.apply(key);
            Map<String, String> entries = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> entries.put(String.valueOf(k), String.valueOf(v)));
            } else if (value != null && !value.toString().isBlank()) {
                for (String pair : value.toString().split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("context " + key + ": '" + pair + "' is not NAME=value");
                    }
                    entries.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
            return new TreeMap<>(entries);
        }
    }
}
