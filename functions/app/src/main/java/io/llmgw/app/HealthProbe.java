package io.llmgw.app;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container image's HEALTHCHECK: {@code GET http://127.0.0.1:$PORT/health/live}, exit 0 on a
 * 200 and 1 otherwise. Java rather than curl or wget because the runtime base image is a build
 * argument and a JRE is the one thing every choice has. JDK classes only, so it runs straight from
 * the image's class directory without starting Spring. {@link HttpURLConnection} rather than
 * {@code java.net.http.HttpClient}: it loads fewer classes, and this JVM starts every 30 seconds.
 */
public final class HealthProbe {
    private static final int TIMEOUT_MILLIS = 3000;

    private HealthProbe() {}

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("PORT", "8080");
        String path = args.length > 0 ? args[0] : "/health/live";
        int status;
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            status = connection.getResponseCode();
            connection.disconnect();
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("health probe: " + path + " on port " + port + " failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (status != 200) {
            System.err.println("health probe: " + path + " on port " + port + " answered " + status);
            System.exit(1);
        }
    }
}
