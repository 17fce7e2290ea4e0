package io.llmgw.azure.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.time.Duration;

/**
 * The Azure identity every Azure client of the gateway uses: {@code DefaultAzureCredential} (the
 * managed identity on Azure, named by {@code AZURE_CLIENT_ID} when user-assigned; the Azure CLI
 * login or service-principal variables elsewhere) over the JDK's own HTTP client, so no Netty event
 * loop runs next to the gateway's java.net.http. Loaded only when Key Vault or Entra sign-in is used.
 */
public final class AzureCredentials {
    private AzureCredentials() {}

    /** The credential for this process's environment, on a new HTTP client. */
    public static TokenCredential fromEnvironment() {
        return fromEnvironment(httpClient(java.net.http.HttpClient.newBuilder()));
    }

    /** The credential for this process's environment, on {@code http}. */
    public static TokenCredential fromEnvironment(HttpClient http) {
        return new DefaultAzureCredentialBuilder().httpClient(http).build();
    }

    /** The SDK's HTTP client on the JDK's, with short timeouts: a cold start waits for it. */
    public static HttpClient httpClient(java.net.http.HttpClient.Builder jdkClient) {
        return new JdkHttpClientBuilder(jdkClient)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** What went wrong, in one line of words: the JDK's HTTP client wraps network failures in exceptions without messages. */
    public static String firstLine(Throwable e) {
        String text = null;
        for (Throwable cause = e; cause != null && text == null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            text = switch (cause) {
                case java.net.ConnectException ignored -> "connection refused";
                case java.net.UnknownHostException unknown -> "unknown host " + unknown.getMessage();
                case java.net.http.HttpTimeoutException ignored -> "timed out";
                case javax.net.ssl.SSLException tls -> "TLS: " + tls.getMessage();
                default -> null;
            };
        }
        if (text == null) {
            Throwable root = e;
            while (root.getMessage() == null && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }
}
