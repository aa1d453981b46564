package io.edgegateway.app;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.sse.SseTestClient;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alerts end to end: a simulated SDM630 on a local port, the gateway polling it, its alerts on the SSE streams, in
 * the store across a restart, and through the REST routes with tokens.
 */
@Timeout(120)
class AlertEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ADMIN = "admin-0123456789abcdef";
    private static final String READER = "reader-0123456789abcdef";
    private final ProfileCatalog profiles = ProfileCatalog.shipped();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Gateway gateway;

    @TempDir
    Path state;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private SimulatedDevice meter;

    private ModbusTcpSimulator sdm630() throws Exception {
        meter = SimulatedDevice.of(profiles.find("sdm630").orElseThrow(), 7, Clock.systemUTC());
        meter.freeze(true);
        volts("230");
        ModbusTcpSimulator s = ModbusTcpSimulator.builder().port(0).unit(1, meter).build().start();
        closing.add(s);
        return s;
    }

    private void volts(String v) {
        meter.pin("L1 Voltage", new PointValue.Number(new BigDecimal(v)));
    }

    private void start(String yaml) {
        gateway = Gateway.start(ConfigLoader.loadYaml("state-dir: \"" + state + "\"\n" + yaml, "alerts.yaml",
                Path.of(".")), new ProtocolConnector(), Clock.systemUTC());
    }

    private static String config(int port, String extra) {
        return config(port, "m1", extra);
    }

    private static String config(int port, String meterNo, String extra) {
        return """
                server: {port: 0}
                polling: {backoff-base: 200ms, backoff-max: 500ms}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 300ms, connect-timeout: 300ms}]
                devices: [{meter-no: %s, bus: b, unit-id: 1, profile: sdm630, interval: 200ms}]
                """.formatted(port, meterNo) + extra;
    }

    private SseTestClient open(String path, Map<String, String> headers) throws Exception {
        SseTestClient c = SseTestClient.open(http, URI.create("http://127.0.0.1:" + gateway.port() + path), headers);
        closing.add(c);
        assertEquals("connected", c.next(WAIT).event());
        return c;
    }

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    private static List<JsonObject> alerts(List<SseTestClient.Event> events) {
        return events.stream().filter(e -> e.event().equals("alert")).map(e -> json(e.data())).toList();
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonStructure body(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).read();
    }

    @Test
    void aPinnedOverVoltageRaisesOnceOnEveryStreamAndClearsOnceAfterHysteresisAndFor() throws Exception {
        ModbusTcpSimulator sim = sdm630();
        start(config(sim.port(), "alerts: [{id: over, meters: [m1], point: L1 Voltage, condition: gt, value: 253,"
                + " hysteresis: 2, for: 1s, severity: critical}]\n"));
        SseTestClient all = open("/api/sse/meters", Map.of());
        SseTestClient realTime = open("/api/sse/real-time-data/m1", Map.of());
        SseTestClient status = open("/api/sse/meter-status/m1", Map.of());
        assertNotNull(realTime.next("message", WAIT), "polled");

        Instant pinned = Instant.now();
        volts("254.1");
        JsonObject raised = json(all.next("alert", WAIT).data());
        assertEquals("raised", raised.getString("state"));
        assertEquals("over", raised.getString("ruleId"));
        assertEquals("m1", raised.getString("meterNo"));
        assertEquals("L1 Voltage", raised.getString("point"));
        assertEquals("critical", raised.getString("severity"));
        assertEquals(new BigDecimal("254.1"), raised.getJsonNumber("value").bigDecimalValue());
        assertFalse(Instant.parse(raised.getString("timestamp")).isBefore(pinned.plusSeconds(1)),
                "raised only after 1 s above: " + raised);
        assertEquals(raised, json(realTime.next("alert", WAIT).data()), "on the meter's reading stream");
        assertEquals(raised, json(status.next("alert", WAIT).data()), "and on its status stream");

        volts("251.5"); // below 253 but not 2 below: still raised
        assertEquals(List.of(), alerts(all.drain(Duration.ofMillis(1500))));
        Instant normal = Instant.now();
        volts("250.9");
        JsonObject cleared = json(all.next("alert", WAIT).data());
        assertEquals("cleared", cleared.getString("state"));
        assertEquals(raised.getString("alertId"), cleared.getString("alertId"));
        assertEquals(new BigDecimal("250.9"), cleared.getJsonNumber("value").bigDecimalValue());
        assertFalse(Instant.parse(cleared.getString("timestamp")).isBefore(normal.plusSeconds(1)));
        assertEquals(List.of(), alerts(all.drain(Duration.ofMillis(1500))), "cleared once");
        assertEquals(List.of(cleared), alerts(realTime.drain(Duration.ofMillis(100))));
        assertEquals(List.of(cleared), alerts(status.drain(Duration.ofMillis(100))));

        JsonArray active = (JsonArray) body(call("GET", "/api/alerts", null, null));
        assertEquals(0, active.size());
        JsonArray history = (JsonArray) body(call("GET", "/api/alerts?state=all&meter=m1", null, null));
        assertEquals(1, history.size());
        assertEquals("cleared", history.getJsonObject(0).getString("state"));
        assertEquals(raised.getString("timestamp"), history.getJsonObject(0).getString("raised"));
        assertEquals(cleared.getString("timestamp"), history.getJsonObject(0).getString("cleared"));
    }

    @Test
    void aStoppedSimulatorRaisesAStatusAlertAndItsReturnClearsIt() throws Exception {
        ModbusTcpSimulator sim = sdm630();
        start(config(sim.port(), "alerts: [{id: gone, status: DISCONNECTED, for: 1s}]\n"));
        SseTestClient all = open("/api/sse/meters", Map.of());
        assertNotNull(all.next("data", WAIT), "polled");
        assertEquals(List.of(), alerts(all.drain(Duration.ofMillis(1500))), "connected: nothing to say");
        sim.close();
        JsonObject raised = json(all.next("alert", WAIT).data());
        assertEquals("raised", raised.getString("state"));
        assertEquals("DISCONNECTED", raised.getString("value"));
        assertTrue(raised.isNull("point"));
        sim.restart();
        JsonObject cleared = json(all.next("alert", WAIT).data());
        assertEquals("cleared", cleared.getString("state"));
        assertEquals("CONNECTED", cleared.getString("value"));
        assertEquals(raised.getString("alertId"), cleared.getString("alertId"));
    }

    @Test
    void restRulesTokensAndAnAlertThatSurvivesARestartAndIsReplayedOnResume() throws Exception {
        ModbusTcpSimulator sim = sdm630();
        String yaml = config(sim.port(), """
                security:
                  tokens:
                    - {name: ops, token: %s, admin: true}
                    - {name: hes, token: %s}
                alerts: [{id: over, meters: [m1], point: L1 Voltage, condition: gt, value: 253}]
                """.formatted(ADMIN, READER));
        start(yaml);
        String low = "{\"meters\":[\"m1\"],\"point\":\"L1 Voltage\",\"condition\":\"lt\",\"value\":200,\"for\":\"2s\"}";
        // Tokens on every new route.
        assertEquals(401, call("GET", "/api/alerts", null, null).statusCode());
        assertEquals(401, call("GET", "/api/alerts/rules", null, null).statusCode());
        assertEquals(401, call("PUT", "/api/alerts/rules/low", null, low).statusCode());
        assertEquals(401, call("DELETE", "/api/alerts/rules/low", null, null).statusCode());
        assertEquals(401, call("POST", "/api/alerts/x/ack", null, null).statusCode());
        HttpResponse<String> notAdmin = call("PUT", "/api/alerts/rules/low", READER, low);
        assertEquals(403, notAdmin.statusCode());
        assertEquals("forbidden", ((JsonObject) body(notAdmin)).getString("error"));
        assertEquals(201, call("PUT", "/api/alerts/rules/low", ADMIN, low).statusCode());
        assertEquals(200, call("PUT", "/api/alerts/rules/low", ADMIN, low).statusCode(), "replaced");
        JsonObject rule = (JsonObject) body(call("GET", "/api/alerts/rules/low", READER, null));
        assertEquals("runtime", rule.getString("origin"));
        assertEquals("2s", rule.getString("for"));
        assertEquals(409, call("PUT", "/api/alerts/rules/over", ADMIN, low).statusCode(), "the config's rule wins");
        assertEquals(409, call("DELETE", "/api/alerts/rules/over", ADMIN, null).statusCode());
        JsonObject bad = (JsonObject) body(call("PUT", "/api/alerts/rules/bad", ADMIN,
                "{\"meters\":[\"m1\"],\"point\":\"L9 Voltage\",\"condition\":\"gt\",\"value\":1}"));
        assertEquals("bad-rule", bad.getString("error"));
        assertEquals("point", bad.getString("field"));
        HttpResponse<String> oneBound = call("PUT", "/api/alerts/rules/bad", ADMIN,
                "{\"point\":\"L1 Voltage\",\"condition\":\"between\",\"value\":[207]}");
        assertEquals(400, oneBound.statusCode());
        assertEquals("value", ((JsonObject) body(oneBound)).getString("field"));
        assertEquals("hysteresis", ((JsonObject) body(call("PUT", "/api/alerts/rules/bad", ADMIN,
                "{\"point\":\"L1 Voltage\",\"condition\":\"gt\",\"value\":1,\"hysteresis\":-1}"))).getString("field"));
        assertEquals("for", ((JsonObject) body(call("PUT", "/api/alerts/rules/bad", ADMIN,
                "{\"status\":\"ERROR\",\"for\":\"P400000000000D\"}"))).getString("field"));
        assertEquals("value", ((JsonObject) body(call("PUT", "/api/alerts/rules/bad", ADMIN,
                "{\"point\":\"L1 Voltage\",\"condition\":\"gt\",\"value\":1E+100000000}"))).getString("field"));
        assertEquals(404, call("GET", "/api/alerts/rules/bad", READER, null).statusCode(), "nothing kept");

        // A dashboard that saw everything up to here, then went away.
        SseTestClient before = SseTestClient.open(http, URI.create("http://127.0.0.1:" + gateway.port()
                + "/api/sse/meters"), Map.of("Authorization", "Bearer " + READER));
        SseTestClient.Event connected = before.next(WAIT);
        assertEquals("connected", connected.event());
        String seenUpTo = connected.id();
        before.close();

        volts("254");
        JsonObject raised = awaitActive(READER);
        assertEquals("raised", raised.getString("state"));
        String alertId = raised.getString("alertId");

        gateway.close();
        gateway = null;
        start(yaml);

        // Missed while away, and published by the previous run: replayed from the store.
        SseTestClient resumed = open("/api/sse/meters", Map.of("Authorization", "Bearer " + READER,
                "Last-Event-ID", seenUpTo));
        List<JsonObject> replayed = alerts(resumed.drain(Duration.ofSeconds(2)));
        assertEquals(1, replayed.size(), "the raise once, and not raised again by the new run: " + replayed);
        assertEquals(alertId, replayed.getFirst().getString("alertId"));
        assertEquals("raised", replayed.getFirst().getString("state"));
        assertEquals(200, call("GET", "/api/alerts/rules/low", READER, null).statusCode(), "kept across the restart");

        HttpResponse<String> ack = call("POST", "/api/alerts/" + alertId + "/ack", READER, null);
        assertEquals(200, ack.statusCode(), ack.body());
        assertEquals("hes", ((JsonObject) body(ack)).getString("by"));
        assertEquals("acknowledged", json(resumed.next("alert", WAIT).data()).getString("state"));
        assertEquals(409, call("POST", "/api/alerts/" + alertId + "/ack", ADMIN, null).statusCode());
        assertEquals(404, call("POST", "/api/alerts/nope/ack", ADMIN, null).statusCode());
        JsonObject listed = ((JsonArray) body(call("GET", "/api/alerts?state=all", READER, null))).getJsonObject(0);
        assertEquals("hes", listed.getString("acknowledgedBy"));
        assertEquals("acknowledged", listed.getString("state"));

        volts("240");
        JsonObject cleared = json(resumed.next("alert", WAIT).data());
        assertEquals("cleared", cleared.getString("state"));
        assertEquals(alertId, cleared.getString("alertId"));

        assertEquals(403, call("DELETE", "/api/alerts/rules/low", READER, null).statusCode());
        assertEquals(200, call("DELETE", "/api/alerts/rules/low", ADMIN, null).statusCode());
        assertEquals(404, call("GET", "/api/alerts/rules/low", READER, null).statusCode());
        assertEquals(404, call("DELETE", "/api/alerts/rules/low", ADMIN, null).statusCode());
    }

    @Test
    void anOpenAlertOfAMeterNoLongerConfiguredIsClearedAtStartAndTheGatewayStarts() throws Exception {
        ModbusTcpSimulator sim = sdm630();
        String rules = "alerts: [{id: over, point: L1 Voltage, condition: gt, value: 253}]\n";
        start(config(sim.port(), rules));
        volts("254");
        String alertId = awaitActive(null).getString("alertId");
        gateway.close();
        gateway = null;

        // The device is renumbered (m1 gone, m9 new) while its alert is open, on the same store file.
        start(config(sim.port(), "m9", rules));
        JsonArray all = (JsonArray) body(call("GET", "/api/alerts?state=all", null, null));
        JsonObject gone = all.stream().map(JsonObject.class::cast)
                .filter(o -> o.getString("alertId").equals(alertId)).findFirst().orElseThrow(() -> new AssertionError(
                        "the occurrence is still listed: " + all));
        assertEquals("cleared", gone.getString("state"));
        assertEquals("m1", gone.getString("meterNo"));
        assertNotNull(gone.getString("cleared", null));
        assertEquals(409, call("POST", "/api/alerts/" + alertId + "/ack", null, null).statusCode(), "already cleared");
        // The rule still applies to the meter under its new number, as a new occurrence.
        JsonObject raised = awaitActive(null);
        assertEquals("m9", raised.getString("meterNo"));
        assertFalse(raised.getString("alertId").equals(alertId));
    }

    @Test
    void storedRulesThatNoLongerApplyAreListedAndDeletableAndAnUnreadableStoreAnswers503() throws Exception {
        ModbusTcpSimulator sim = sdm630();
        String tokens = """
                security:
                  tokens:
                    - {name: ops, token: %s, admin: true}
                """.formatted(ADMIN);
        start(config(sim.port(), tokens));
        assertEquals(201, call("PUT", "/api/alerts/rules/shadow", ADMIN, "{\"status\":\"ERROR\"}").statusCode());
        assertEquals(201, call("PUT", "/api/alerts/rules/fragile", ADMIN,
                "{\"meters\":[\"m1\"],\"point\":\"L1 Voltage\",\"condition\":\"lt\",\"value\":200}").statusCode());
        gateway.close();
        gateway = null;

        // Now the config has a rule 'shadow' of its own, and m1 is renumbered, which 'fragile' names.
        start(config(sim.port(), "m9", tokens + "alerts: [{id: shadow, status: DISCONNECTED, for: 5m}]\n"));
        JsonArray rules = (JsonArray) body(call("GET", "/api/alerts/rules", ADMIN, null));
        List<String> listed = rules.stream().map(JsonObject.class::cast)
                .map(r -> r.getString("id") + " " + r.getString("origin")).toList();
        assertEquals(List.of("shadow config", "fragile stored-inactive", "shadow stored-inactive"), listed); // by id
        JsonObject fragile = (JsonObject) body(call("GET", "/api/alerts/rules/fragile", ADMIN, null));
        assertEquals("stored-inactive", fragile.getString("origin"));
        assertTrue(fragile.getString("why").contains("no meter 'm1'"), fragile.toString());
        assertEquals("lt", fragile.getString("condition"), "the rule as it was stored");
        assertTrue(rules.getJsonObject(2).getString("why").contains("config"), rules.toString());
        assertEquals("config", ((JsonObject) body(call("GET", "/api/alerts/rules/shadow", ADMIN, null)))
                .getString("origin"), "the config's rule is the one in force");

        assertEquals(200, call("DELETE", "/api/alerts/rules/fragile", ADMIN, null).statusCode());
        assertEquals(404, call("GET", "/api/alerts/rules/fragile", ADMIN, null).statusCode());
        assertEquals(200, call("DELETE", "/api/alerts/rules/shadow", ADMIN, null).statusCode(), "the stored row");
        assertTrue(gateway.alerts().slots().stream().anyMatch(x -> x.ruleId().equals("shadow")
                && x.meterNo().equals("m9")), "the config's rule of that id still watches m9");
        assertEquals(409, call("DELETE", "/api/alerts/rules/shadow", ADMIN, null).statusCode(), "the config's rule");
        assertEquals(List.of("shadow config"), ((JsonArray) body(call("GET", "/api/alerts/rules", ADMIN, null)))
                .stream().map(JsonObject.class::cast).map(r -> r.getString("id") + " " + r.getString("origin"))
                .toList());

        // The file is replaced by something that is not a database: reading alerts fails, and says so.
        Path file = gateway.store().config().path();
        Files.move(file, file.resolveSibling("aside.db"));
        Files.writeString(file, "not a database, and long enough to have a header of sorts: " + "x".repeat(200));
        HttpResponse<String> ack = call("POST", "/api/alerts/nope/ack", ADMIN, null);
        assertEquals(503, ack.statusCode(), ack.body());
        assertEquals("store-unavailable", ((JsonObject) body(ack)).getString("error"));
    }

    private JsonObject awaitActive(String token) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            JsonArray a = (JsonArray) body(call("GET", "/api/alerts?state=active", token, null));
            if (!a.isEmpty()) {
                return a.getJsonObject(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no alert raised");
    }
}
