package io.edgegateway.sse;

import io.edgegateway.app.ApiHarness;
import io.edgegateway.reading.Alert;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/sse}, the notification stream the dashboards' SSE layers use: metadata from the query, the
 * targeting rules of {@code POST /api/sse/send} (user, session, metadata, all), tokens restricted to their own
 * user, the filtered client statistics, and alerts on the stream.
 */
class NotificationStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Long enough for a notification that was queued to arrive; one that was not must not. */
    private static final Duration NOT_FOR_YOU = Duration.ofMillis(700);
    private static final String HES = "hes-0123456789abcdef";
    private static final String OPS = "ops-fedcba9876543210";
    private static final String ALICE = "alice-0123456789abcd";
    private static final String SECURED = """
            security:
              tokens:
                - {name: hes, token: %s}
                - {name: ops, token: %s, admin: true}
                - {name: alice-phone, token: %s, user: alice}
            """.formatted(HES, OPS, ALICE);

    private ApiHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private SseTestClient open(String pathAndQuery, String token) throws Exception {
        return SseTestClient.open(gw.http, gw.uri(pathAndQuery), Map.of("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> send(String path, String token, String body) throws Exception {
        return gw.http.send(HttpRequest.newBuilder(gw.uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return gw.http.send(HttpRequest.newBuilder(gw.uri(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    @Test
    void theQueryBecomesTheClientsMetadataAndUserIdDefaultsToTheTokensName() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        try (SseTestClient mine = open("/api/sse", HES);
             SseTestClient other = open("/api/sse?userId=user123&sessionId=abc123&role=admin&site=north", HES)) {
            assertEquals(200, mine.status(), mine.refusal());
            JsonObject c = json(mine.next("connected", WAIT).data());
            assertEquals("/api/sse", c.getString("stream"));
            assertEquals("hes", c.getString("userId"), "no userId: the token's name");
            assertTrue(c.isNull("sessionId"));
            JsonObject o = json(other.next("connected", WAIT).data());
            assertEquals("user123", o.getString("userId"));
            assertEquals("abc123", o.getString("sessionId"));
            assertEquals(Map.of("role", Json.createValue("admin"), "site", Json.createValue("north")),
                    o.getJsonObject("metadata"), "every other query parameter, and not the token");
            assertFalse(o.getJsonObject("metadata").containsKey("access_token"));
        }
    }

    @Test
    void sendTargetsUsersSessionsMetadataOrEveryone() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        try (SseTestClient u1s1 = open("/api/sse?userId=user123&sessionId=s1&role=admin", HES);
             SseTestClient u1s2 = open("/api/sse?userId=user123&sessionId=s2&role=viewer", HES);
             SseTestClient u2 = open("/api/sse?userId=user456&role=admin", HES);
             SseTestClient meters = open("/api/sse/meters", HES)) {
            for (SseTestClient c : List.of(u1s1, u1s2, u2, meters)) {
                assertNotNull(c.next("connected", WAIT));
            }
            HttpResponse<String> toUser = send("/api/sse/send", OPS,
                    "{\"userId\":\"user123\",\"data\":{\"message\":\"Hello, user!\"}}");
            assertEquals(200, toUser.statusCode(), toUser.body());
            assertEquals(2, json(toUser.body()).getInt("delivered"));
            assertEquals("Hello, user!", json(u1s1.next("notification", WAIT).data()).getString("message"),
                    "data arrives as it was sent");
            assertNotNull(u1s2.next("notification", WAIT));
            assertNull(u2.next("notification", NOT_FOR_YOU), "another user's notification");
            assertNull(meters.next("notification", NOT_FOR_YOU));

            assertEquals(1, json(send("/api/sse/send", OPS,
                    "{\"userId\":\"user123\",\"sessionId\":\"s2\",\"data\":{\"n\":2}}").body()).getInt("delivered"));
            assertEquals(400, send("/api/sse/send", OPS, "{\"sessionId\":\"s2\",\"data\":{}}").statusCode(),
                    "a session without its user would reach whoever claims it");
            assertEquals(2, json(u1s2.next("notification", WAIT).data()).getInt("n"));
            assertNull(u1s1.next("notification", NOT_FOR_YOU), "the user's other session");

            HttpResponse<String> admins = send("/api/sse/send", OPS,
                    "{\"metadata\":{\"role\":\"admin\"},\"event\":\"admin_alert\",\"data\":{\"message\":\"Admins\"}}");
            assertEquals(2, json(admins.body()).getInt("delivered"));
            assertEquals("Admins", json(u1s1.next("admin_alert", WAIT).data()).getString("message"));
            assertNotNull(u2.next("admin_alert", WAIT));
            assertNull(u1s2.next("admin_alert", NOT_FOR_YOU), "a viewer");

            assertEquals(4, json(send("/api/sse/send", OPS, "{\"data\":\"System update available\"}").body())
                    .getInt("delivered"), "no criteria: every stream, the reading streams too");
            assertEquals("\"System update available\"", meters.next("notification", WAIT).data());
            for (SseTestClient c : List.of(u1s1, u1s2, u2)) {
                assertEquals("\"System update available\"", c.next("notification", WAIT).data());
            }

            HttpResponse<String> test = send("/api/sse/test", OPS, "{\"userId\":\"user456\",\"message\":\"Test\"}");
            assertEquals(1, json(test.body()).getInt("delivered"), "/api/sse/test, the older body form");
            JsonObject legacy = json(u2.next("notification", WAIT).data());
            assertEquals("Test", legacy.getString("message"));
            assertEquals("ops", legacy.getString("from"));
        }
    }

    @Test
    void badSendsAreRefusedNamingWhatIsWrong() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        assertEquals(403, send("/api/sse/send", HES, "{\"data\":{}}").statusCode(), "not an admin token");
        assertEquals(403, send("/api/sse/test", ALICE, "{\"data\":{}}").statusCode());
        Map<String, String> bad = Map.of(
                "{\"event\":\"no spaces\",\"data\":{}}", "letters, digits",
                "{\"event\":\"data\",\"data\":{}}", "gateway's own events",
                "{\"event\":\"alert\",\"data\":{}}", "gateway's own events",
                "{\"event\":\"message\",\"data\":{}}", "gateway's own events",
                "{\"sessionId\":\"s1\",\"data\":{}}", "give \"userId\" too",
                "{\"userId\":7,\"data\":{}}", "\"userId\" must be a string",
                "{\"metadata\":{\"role\":1},\"data\":{}}", "must be a string",
                "{\"metadata\":\"admin\",\"data\":{}}", "must be an object",
                "{}", "\"data\" is required",
                "{\"data\":\"" + "x".repeat(16 * 1024) + "\"}", "16386 bytes of JSON; at most 16384");
        for (var e : bad.entrySet()) {
            HttpResponse<String> r = send("/api/sse/send", OPS, e.getKey());
            assertEquals(400, r.statusCode(), e.getKey().length() > 80 ? "16 KB" : e.getKey());
            assertTrue(json(r.body()).getString("message").contains(e.getValue()), r.body());
        }
        assertEquals(200, send("/api/sse/send", OPS, "{\"data\":\"" + "x".repeat(16 * 1024 - 100) + "\"}")
                .statusCode(), "just under the limit");
    }

    @Test
    void aRestrictedTokenListensOnlyAsItsOwnUser() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        try (SseTestClient spy = open("/api/sse?userId=bob", ALICE)) {
            assertEquals(403, spy.status());
            assertEquals("forbidden-user", json(spy.refusal()).getString("error"));
        }
        try (SseTestClient own = open("/api/sse?sessionId=phone", ALICE);
             SseTestClient explicit = open("/api/sse?userId=alice", ALICE);
             SseTestClient bob = open("/api/sse?userId=bob", HES)) {
            assertEquals("alice", json(own.next("connected", WAIT).data()).getString("userId"),
                    "the token's user, not its name");
            assertNotNull(explicit.next("connected", WAIT));
            assertNotNull(bob.next("connected", WAIT));
            assertEquals(2, json(send("/api/sse/send", OPS, "{\"userId\":\"alice\",\"data\":{\"for\":\"alice\"}}")
                    .body()).getInt("delivered"));
            assertEquals("alice", json(own.next("notification", WAIT).data()).getString("for"));
            assertNotNull(explicit.next("notification", WAIT));
            assertNull(bob.next("notification", NOT_FOR_YOU));
            assertEquals(1, json(send("/api/sse/send", OPS, "{\"userId\":\"bob\",\"data\":{}}").body())
                    .getInt("delivered"));
            assertNull(own.next("notification", NOT_FOR_YOU), "alice's token never gets bob's notifications");

            JsonObject mine = json(get("/api/sse/clients", ALICE).body());
            assertEquals(2, mine.getInt("connected"), "a restricted token sees its own user's clients only");
            assertEquals(403, get("/api/sse/clients?userId=bob", ALICE).statusCode());
            JsonObject asHes = json(get("/api/sse/clients?userId=alice", HES).body());
            assertFalse(asHes.getJsonArray("clients").stream().anyMatch(c -> c.asJsonObject().containsKey("sessionId")),
                    "another token does not see sessions: " + asHes);
            assertTrue(mine.getJsonArray("clients").stream().anyMatch(c -> c.asJsonObject().containsKey("sessionId")),
                    "the restricted token sees its own");
            JsonObject ofBob = json(get("/api/sse/clients?userId=bob", OPS).body());
            assertEquals(1, ofBob.getInt("connected"));
            assertEquals("bob", ofBob.getJsonArray("clients").getJsonObject(0).getString("userId"));
            JsonObject all = json(get("/api/sse/clients", OPS).body());
            assertEquals(2, all.getJsonObject("byUser").getInt("alice"));
            assertEquals(1, all.getJsonObject("byUser").getInt("bob"));
            JsonObject session = json(get("/api/sse/clients?userId=alice&sessionId=phone", OPS).body());
            assertEquals(1, session.getInt("connected"));
            long id = session.getJsonArray("clients").getJsonObject(0).getJsonNumber("id").longValue();
            assertEquals(1, json(get("/api/sse/clients?clientIds=" + id, OPS).body()).getInt("connected"));
        }
    }

    @Test
    void alertsReachTheNotificationStreamAndAreReplayedOnResume() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(SECURED));
        Alert raised = new Alert("a-1", "overvoltage", "m1", "L1 Voltage", Json.createValue(254.2),
                Alert.Severity.CRITICAL, Alert.State.RAISED, Instant.parse("2026-12-01T10:00:00Z"), null);
        String lastId;
        try (SseTestClient c = open("/api/sse", HES)) {
            assertNotNull(c.next("connected", WAIT));
            gw.reading("m1", Instant.parse("2026-12-01T10:00:00Z"), Map.of("L1 Voltage", "254.2"));
            gw.hub.publishAlert(raised);
            SseTestClient.Event e = c.next(WAIT);
            assertEquals("alert", e.event(), "readings are not on the notification stream");
            JsonObject a = json(e.data());
            assertEquals("raised", a.getString("state"));
            assertEquals("critical", a.getString("severity"));
            assertEquals(254.2, a.getJsonNumber("value").doubleValue());
            assertEquals("2026-12-01T10:00:00.000Z", a.getString("timestamp"));
            lastId = e.id();
        }
        gw.hub.publishAlert(raised.in(Alert.State.CLEARED, Json.createValue(249.0),
                Instant.parse("2026-12-01T10:05:00Z"), null));
        try (SseTestClient back = SseTestClient.open(gw.http, gw.uri("/api/sse"),
                Map.of("Authorization", "Bearer " + HES, "Last-Event-ID", lastId))) {
            assertNotNull(back.next("connected", WAIT));
            JsonObject missed = json(back.next("alert", WAIT).data());
            assertEquals("cleared", missed.getString("state"), "the clear it missed while away");
            assertEquals("a-1", missed.getString("alertId"));
        }
    }
}
