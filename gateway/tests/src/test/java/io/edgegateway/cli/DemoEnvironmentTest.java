package io.edgegateway.cli;

import io.edgegateway.testing.GatewayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code bin/gateway demo} takes the same environment overrides as {@code run}, so that a page on another
 * origin, or a token-protected dashboard, can be tried against the demo before there is hardware.
 */
class DemoEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void portTokensAndCorsOriginsComeFromTheEnvironment() throws Exception {
        int port = GatewayProcess.freePort();
        Map<String, String> env = Map.of("SERVER_PORT", String.valueOf(port),
                "CORS_ALLOWED_DASH_ORIGINS", "http://page.example:3000,http://other.example",
                "SECURITY_TOKENS_0_NAME", "hes", "SECURITY_TOKENS_0_TOKEN_DASH_ENV", "DEMO_TOKEN",
                "DEMO_TOKEN", "a-demo-token-of-some-length");
        try (GatewayProcess demo = new GatewayProcess(List.of("demo", "--no-store"), dir.resolve("demo.log"), env)
                .start(port)) {
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            assertEquals(401, http.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "the token from the environment is required");
            HttpResponse<Void> ok = http.send(HttpRequest.newBuilder(health)
                            .header("Authorization", "Bearer a-demo-token-of-some-length")
                            .header("Origin", "http://other.example").build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, ok.statusCode());
            assertEquals("http://other.example", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""),
                    "the second origin of the comma-separated list");
        }
    }
}
