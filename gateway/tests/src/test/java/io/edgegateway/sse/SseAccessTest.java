package io.edgegateway.sse;

import io.edgegateway.app.ApiHarness;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access tokens on every endpoint, CORS, client statistics and broadcast notifications. */
class SseAccessTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String HES = "hes-0123456789abcdef";
    private static final String OPS = "ops-fedcba9876543210";
    private static final String SECURED = """
            security:
              tokens:
                - {name: hes, token: %s}
                - {name: ops, token: %s, admin: true}
            cors:
              allowed-origins: [https://hes.example.com]
            """.formatted(HES, OPS);

    private ApiHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    @Test
    void everyEndpointNeedsAValidToken() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        for (String path : List.of("/", "/api/sse/meters", "/api/sse/meter-status/m1", "/api/sse/real-time-data/m1",
                "/api/sse/clients", "/api/meters", "/api/meters/m1", "/health", "/metrics", "/nothing-here",
                "/api/sse", "/api/sse?userId=u1", "/api/alerts", "/api/alerts/rules", "/api/alerts/rules/r1",
                "/api/audit", "/api/session", "/api/things", "/api/things/m1",
                "/api/things/m1/properties/l1-voltage", "/api/things/m1/events/alert", "/api/things/m1/events/status",
                "/api/meters/m1/load-profile/1.0.99.1.0.255")) {
            HttpResponse<String> r = get(path);
            assertEquals(401, r.statusCode(), path);
            assertEquals("unauthorized", json(r.body()).getString("error"), path);
            assertEquals("Bearer realm=\"gateway\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, get(path, "Authorization", "Bearer not-a-token-at-all").statusCode(), path);
        }
        // The routes that change something refuse before they look at the body.
        for (String[] call : new String[][] {{"POST", "/api/sse/send"}, {"POST", "/api/sse/test"},
                {"POST", "/api/meters/m1/points/L1%20Voltage"}, {"PUT", "/api/alerts/rules/r1"},
                {"DELETE", "/api/alerts/rules/r1"}, {"POST", "/api/alerts/a1/ack"},
                {"PUT", "/api/things/m1/properties/l1-voltage"}}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(call[1]))
                    .method(call[0], HttpRequest.BodyPublishers.ofString("{\"value\":1}"));
            assertEquals(401, gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    call[0] + " " + call[1]);
            b.header("Authorization", "Bearer not-a-token-at-all");
            assertEquals(401, gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    call[0] + " " + call[1]);
        }
        assertEquals(404, get("/api/sse/real-time-data/nope", "Authorization", "Bearer " + HES).statusCode(),
                "authenticated, then 404 for the unknown meter");
        assertEquals(200, get("/api/meters", "Authorization", "Bearer " + HES).statusCode());
        assertEquals(200, get("/health?access_token=" + OPS).statusCode());
    }

    @Test
    void eventSourceCanUseTheQueryTokenAndThenTheCookie() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        HttpResponse<String> page = get("/?access_token=" + HES);
        assertEquals(200, page.statusCode());
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("gateway_token=" + HES), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"),
                Map.of("Cookie", "gateway_token=" + HES))) {
            assertEquals(200, c.status());
            assertEquals("connected", c.next(WAIT).event());
            JsonObject stats = json(get("/api/sse/clients", "Authorization", "Bearer " + OPS).body());
            assertEquals(1, stats.getInt("connected"));
            assertEquals(1, stats.getJsonObject("byToken").getInt("hes"), "clients are counted per token name");
            assertFalse(stats.toString().contains(HES), "secrets never appear in statistics");
            assertTrue(stats.getJsonArray("clients").getJsonObject(0).containsKey("remote"), "operators see addresses");
            JsonObject asDashboard = json(get("/api/sse/clients", "Authorization", "Bearer " + HES).body());
            assertFalse(asDashboard.getJsonArray("clients").getJsonObject(0).containsKey("remote"),
                    "a dashboard's token does not see other clients' addresses");
        }
    }

    @Test
    void corsAllowsOnlyConfiguredOriginsAndAnswersPreflights() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        HttpResponse<String> ok = get("/api/meters", "Authorization", "Bearer " + HES, "Origin", "https://hes.example.com");
        assertEquals("https://hes.example.com", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("true", ok.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
        HttpResponse<String> other = get("/api/meters", "Authorization", "Bearer " + HES, "Origin", "https://evil.example.com");
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());

        HttpRequest preflight = HttpRequest.newBuilder(gw.uri("/api/sse/meters"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://hes.example.com")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,last-event-id").build();
        HttpResponse<String> p = gw.http.send(preflight, HttpResponse.BodyHandlers.ofString());
        assertEquals(204, p.statusCode(), "preflights carry no token and must not get 401");
        assertTrue(p.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Last-Event-ID"));
        assertTrue(p.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("PUT, DELETE"),
                "rules and WoT writes use PUT and DELETE");
    }

    /** A page of another site may not change anything, even one the browser sends without asking first. */
    @Test
    void changesFromAnotherSitesPageAreRefusedWhateverTheToken() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        String body = "{\"message\":\"hello\"}";
        for (String origin : List.of("https://evil.example.com", "null")) {
            HttpResponse<String> r = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                    .header("Authorization", "Bearer " + OPS).header("Origin", origin)
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), origin);
            assertEquals("origin-not-allowed", json(r.body()).getString("error"));
        }
        for (String origin : List.of("https://hes.example.com", "http://127.0.0.1:" + gw.server.port())) {
            HttpResponse<String> r = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                    .header("Authorization", "Bearer " + OPS).header("Origin", origin)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), origin + " (a listed origin, and the gateway's own page): " + r.body());
        }
        HttpResponse<String> read = get("/api/meters", "Authorization", "Bearer " + HES, "Origin",
                "https://evil.example.com");
        assertEquals(200, read.statusCode(), "reading is the browser's to block (no CORS headers), not ours");

        // Host cannot be set through java.net.http: these go over a plain socket, as a browser or a proxy sends them.
        int port = gw.server.port();
        assertEquals(403, rawSend("evil.example:" + port, "http://evil.example:" + port, "same-origin"),
                "a page whose name was re-pointed at the gateway (DNS rebinding) asks for the attacker's host");
        assertEquals(200, rawSend("127.0.0.1:8080", "https://gateway.example.com", "same-origin"),
                "the dashboard behind a proxy that passes its own Host: the browser says same-origin");
        assertEquals(403, rawSend("127.0.0.1:8080", "https://gateway.example.com", "cross-site"));
        assertEquals(200, rawSend("127.0.0.1:" + port, "HTTPS://HES.EXAMPLE.COM:443", null),
                "a listed origin, whatever its case and default port");
    }

    private int rawSend(String host, String origin, String fetchSite) throws Exception {
        String body = "{\"message\":\"hello\"}";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", gw.server.port())) {
            s.setSoTimeout(5000);
            String request = "POST /api/sse/send HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin + "\r\n"
                    + (fetchSite == null ? "" : "Sec-Fetch-Site: " + fetchSite + "\r\n")
                    + "Authorization: Bearer " + OPS + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void sendBroadcastsANotificationToAllOrToOneTokensClients() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        try (SseTestClient hes = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?access_token=" + HES), Map.of());
             SseTestClient ops = SseTestClient.open(gw.http, gw.uri("/api/sse/meter-status/m1"),
                     Map.of("Authorization", "Bearer " + OPS))) {
            hes.next(WAIT);
            ops.next(WAIT);
            HttpResponse<String> all = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                    .header("Authorization", "Bearer " + OPS).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"maintenance at 14:00\",\"data\":{\"level\":\"info\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, all.statusCode(), all.body());
            assertEquals(2, json(all.body()).getInt("delivered"));
            SseTestClient.Event n = hes.next("notification", WAIT);
            assertNotNull(n);
            assertEquals("maintenance at 14:00", json(n.data()).getString("message"));
            assertEquals("ops", json(n.data()).getString("from"));
            assertNotNull(ops.next("notification", WAIT));

            HttpResponse<String> one = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                    .header("Authorization", "Bearer " + OPS)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"only hes\",\"token\":\"hes\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(1, json(one.body()).getInt("delivered"));
            assertEquals("only hes", json(hes.next("notification", WAIT).data()).getString("message"));
            assertEquals(null, ops.next("notification", Duration.ofMillis(500)));

            HttpResponse<String> notAdmin = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                    .header("Authorization", "Bearer " + HES)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"spoof\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, notAdmin.statusCode(), "a dashboard's token cannot broadcast to every dashboard");

            HttpResponse<String> bad = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                    .header("Authorization", "Bearer " + OPS)
                    .POST(HttpRequest.BodyPublishers.ofString("not json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
        }
    }
}
