package io.edgegateway.wot;

import io.edgegateway.app.ApiHarness;
import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.reading.Alert;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.sse.SseTestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routes behind the TDs' forms: bare values, bare streams, refusals, tokens, and writes through the writer. */
class ThingEndpointsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String V = "/api/things/m1/properties/l1-voltage";

    private static HttpResponse<String> send(ApiHarness h, String method, String path, String body,
                                             Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(h.uri(path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return h.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject().getString("error");
    }

    @Test
    void readsTheBareValueAndRefusesClearly() throws Exception {
        try (ApiHarness h = new ApiHarness(ApiHarness.twoMeters(""))) {
            HttpResponse<String> none = send(h, "GET", V, null, Map.of());
            assertEquals(503, none.statusCode());
            assertEquals("no-value", error(none));

            h.reading("m1", Instant.now(), Map.of("L1 Voltage", "230.54", "Frequency", "50"));
            HttpResponse<String> r = send(h, "GET", V, null, Map.of("Accept", "application/json"));
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("230.5", r.body(), "rounded to the point's decimals, as the reading shows it");
            assertEquals("50.0", send(h, "GET", "/api/things/m1/properties/frequency", null, Map.of()).body());

            assertEquals("unknown-property", error(send(h, "GET", "/api/things/m1/properties/volts", null, Map.of())));
            assertEquals("unknown-meter", error(send(h, "GET", "/api/things/m9", null, Map.of())));
            assertEquals("unknown-meter",
                    error(send(h, "GET", "/api/things/m9/properties/l1-voltage", null, Map.of())));
            HttpResponse<String> event = send(h, "GET", "/api/things/m1/events/tamper", null, Map.of());
            assertEquals(404, event.statusCode());
            assertEquals("unknown-event", error(event));
            HttpResponse<String> put = send(h, "PUT", V, "231", Map.of("Content-Type", "application/json"));
            assertEquals(405, put.statusCode(), "nothing is writable: " + put.body());
            assertEquals("read-only", error(put));
        }
    }

    @Test
    void observingSendsThePointsValueUnnamedOnlyWhenItChanges() throws Exception {
        try (ApiHarness h = new ApiHarness(ApiHarness.twoMeters("sse: {heartbeat: 1s}\n"))) {
            h.reading("m1", Instant.now(), Map.of("L1 Voltage", "230.5", "Frequency", "50.0"));
            SseTestClient c = SseTestClient.open(h.http, h.uri(V), Map.of());
            SseTestClient.Event first = c.next(WAIT);
            assertNotNull(first);
            assertEquals("message", first.event(), "no named opening: WoT consumers see every message");
            assertEquals("230.5", first.data());
            h.reading("m1", Instant.now(), Map.of("L1 Voltage", "230.5", "Frequency", "50.2"));
            assertEquals(List.of(), c.drain(Duration.ofMillis(1500)), "another point changed; heartbeats are comments");
            h.reading("m1", Instant.now(), Map.of("L1 Voltage", "232.0", "Frequency", "50.2"));
            SseTestClient.Event change = c.next(WAIT);
            assertEquals("message", change.event());
            assertEquals("232.0", change.data());
            c.close();

            h.reading("m1", Instant.now(), Map.of("L1 Voltage", "233.0", "Frequency", "50.2"));
            SseTestClient resumed = SseTestClient.open(h.http, h.uri(V), Map.of("Last-Event-ID", change.id()));
            SseTestClient.Event missed = resumed.next(WAIT);
            assertEquals("233.0", missed.data(), "resumes after Last-Event-ID");
            resumed.close();
        }
    }

    @Test
    void heartbeatsAndTheOpeningAreCommentsOnTheWire() throws Exception {
        try (ApiHarness h = new ApiHarness(ApiHarness.twoMeters("sse: {heartbeat: 1s}\n"))) {
            HttpRequest req = HttpRequest.newBuilder(h.uri("/api/things/m1/events/alert"))
                    .header("Accept", "text/event-stream").GET().build();
            HttpResponse<InputStream> r = h.http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElseThrow());
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith(": heartbeat")) {
                        break;
                    }
                }
            }
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(": connected {")), lines.toString());
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("event:") || l.startsWith("data:")),
                    lines.toString());
        }
    }

    @Test
    void alertAndStatusEventsCarryTheirDocumentedJson() throws Exception {
        try (ApiHarness h = new ApiHarness(ApiHarness.twoMeters(""))) {
            SseTestClient status = SseTestClient.open(h.http, h.uri("/api/things/m1/events/status"), Map.of());
            SseTestClient.Event now = status.next(WAIT);
            assertEquals("message", now.event());
            assertEquals("{\"meterNo\":\"m1\",\"lastSeen\":null,\"status\":\"DISCONNECTED\"}", now.data());
            Instant seen = Instant.parse("2026-01-02T03:04:05.678Z");
            h.status("m1", MeterStatus.CONNECTED, seen);
            assertEquals("{\"meterNo\":\"m1\",\"lastSeen\":\"2026-01-02T03:04:05.678Z\",\"status\":\"CONNECTED\"}",
                    status.next(WAIT).data());
            status.close();

            SseTestClient alerts = SseTestClient.open(h.http, h.uri("/api/things/m1/events/alert"), Map.of());
            Alert other = new Alert("a0", "r", "m2", "L1 Voltage", Json.createValue(1), Alert.Severity.INFO,
                    Alert.State.RAISED, seen, null);
            Alert mine = new Alert("a1", "overvoltage", "m1", "L1 Voltage", Json.createValue(new BigDecimal("254.1")),
                    Alert.Severity.CRITICAL, Alert.State.RAISED, seen, null);
            h.hub.publishAlert(other);
            h.hub.publishAlert(mine);
            SseTestClient.Event e = alerts.next(WAIT);
            assertEquals("message", e.event());
            assertEquals(mine.json(), e.data(), "only this meter's, as the alert JSON");
            alerts.close();
        }
    }

    @Test
    void everyRouteNeedsAToken() throws Exception {
        String tokens = "security:\n  tokens:\n    - {name: hes, token: reader-token-0123456}\n"
                + "    - {name: ops, token: writer-token-0123456, write: true}\n";
        try (ApiHarness h = new ApiHarness(ApiHarness.twoMeters(tokens))) {
            Map<String, String> sse = Map.of("Accept", "text/event-stream");
            for (String path : List.of("/api/things", "/api/things/m1", V, "/api/things/m1/events/alert",
                    "/api/things/m1/events/status")) {
                assertEquals(401, send(h, "GET", path, null, sse).statusCode(), path);
                assertEquals(401, send(h, "GET", path, null, Map.of("Authorization", "Bearer wrong")).statusCode(),
                        path);
            }
            assertEquals(401, send(h, "PUT", V, "231", Map.of()).statusCode());
            Map<String, String> reader = Map.of("Authorization", "Bearer reader-token-0123456");
            assertEquals(200, send(h, "GET", "/api/things", null, reader).statusCode());
            assertEquals(200, send(h, "GET", "/api/things/m1", null, reader).statusCode());
            assertEquals(503, send(h, "GET", V, null, reader).statusCode(), "past the guard: no value yet");
            SseTestClient s = SseTestClient.open(h.http,
                    h.uri("/api/things/m1/events/status?access_token=reader-token-0123456"), Map.of());
            assertEquals(200, s.status(), "EventSource's way: the token in the query");
            s.close();
            HttpResponse<String> readOnlyToken = send(h, "PUT", V, "231", reader);
            assertEquals(403, readOnlyToken.statusCode());
            assertEquals("forbidden", error(readOnlyToken));
            HttpResponse<String> writer = send(h, "PUT", V, "231",
                    Map.of("Authorization", "Bearer writer-token-0123456"));
            assertEquals(405, writer.statusCode(), "allowed to write, but the point is read-only");
        }
    }

    /**
     * A real gateway polling a simulated PLC: writes through the TD's form reach the device through the gateway's
     * one writer (the REST route's), labels in any case become the numbers and bits they stand for, refusals come
     * back as JSON, and every attempt is in the audit trail, the refusals of the WoT door itself included.
     */
    @Test
    void writesGoThroughTheGatewaysWriterAndTheDeviceHoldsThem(@TempDir Path state) throws Exception {
        try (PlcRig rig = PlcRig.start(state, "")) {
            Gateway gw = rig.gateway();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String plc = "http://127.0.0.1:" + gw.port() + "/api/things/plc-1/properties/";
            long until = System.nanoTime() + WAIT.toNanos();
            while (gw.hub().status("plc-1").status() != MeterStatus.CONNECTED && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertEquals(204, put(http, plc + "pump-speed-setpoint", "55.5").statusCode());
            assertEquals("55.5", get(http, plc + "pump-speed-setpoint"), "read back through the readproperty form");
            assertEquals(204, put(http, plc + "operating-mode", "\"manual\"").statusCode(), "any case, as on REST");
            assertEquals("\"MANUAL\"", get(http, plc + "operating-mode"));
            assertEquals(204, put(http, plc + "pump-enable", "\"ON\"").statusCode());

            HttpResponse<String> refused = put(http, plc + "pump-speed-setpoint", "999");
            assertEquals(400, refused.statusCode());
            assertEquals("out-of-range", Json.createReader(new StringReader(refused.body())).readObject()
                    .getString("error"));
            HttpResponse<String> label = put(http, plc + "operating-mode", "\"TURBO\"");
            assertEquals(400, label.statusCode());
            assertTrue(label.body().contains("bad-value") && label.body().contains("AUTO"), label.body());
            assertEquals(400, put(http, plc + "pump-speed-setpoint", "{\"value\":5}").statusCode(),
                    "a WoT write is the bare value");
            assertEquals(405, put(http, plc + "tank-level", "5").statusCode());

            JsonObject audit = Json.createReader(new StringReader(get(http, "http://127.0.0.1:" + gw.port()
                    + "/api/audit"))).readObject();
            List<String> results = audit.getJsonArray("entries").stream()
                    .map(e -> e.asJsonObject().getString("point") + "=" + e.asJsonObject().getString("result"))
                    .toList();
            assertEquals(List.of("Tank Level=read-only", "Pump Speed Setpoint=bad-value", "Operating Mode=bad-value",
                    "Pump Speed Setpoint=out-of-range", "Pump Enable=ok", "Operating Mode=ok",
                    "Pump Speed Setpoint=ok"), results, "newest first; what the WoT door refuses is audited too");
            assertEquals("TURBO", audit.getJsonArray("entries").getJsonObject(2).getString("newValue"),
                    "the label asked for");
        }
    }

    /** With tokens: a token without write, a read-only point and a bad value, each refused and audited by name. */
    @Test
    void theWotDoorsOwnRefusalsAreAuditedWithTheToken(@TempDir Path state) throws Exception {
        try (PlcRig rig = PlcRig.start(state, """
                security:
                  tokens:
                    - {name: hes, token: reader-token-0123456}
                    - {name: ops, token: writer-token-0123456, write: true}
                    - {name: boss, token: admin-token-01234567, admin: true}
                """)) {
            Gateway gw = rig.gateway();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String plc = "http://127.0.0.1:" + gw.port() + "/api/things/plc-1/properties/";
            Map<String, String> reader = Map.of("Authorization", "Bearer reader-token-0123456",
                    "Content-Type", "application/json");
            Map<String, String> ops = Map.of("Authorization", "Bearer writer-token-0123456",
                    "Content-Type", "application/json");
            assertEquals(403, put(http, plc + "pump-speed-setpoint", "50", reader).statusCode());
            assertEquals(405, put(http, plc + "tank-level", "5", ops).statusCode());
            HttpResponse<String> turbo = put(http, plc + "operating-mode", "\"TURBO\"", ops);
            assertEquals(400, turbo.statusCode());
            assertEquals("bad-value", error(turbo));
            assertEquals(400, put(http, plc + "pump-speed-setpoint", "fast", ops).statusCode(), "not JSON");
            HttpResponse<String> unknown = put(http, plc + "warp-drive", "9", ops);
            assertEquals(404, unknown.statusCode());
            assertEquals("unknown-property", error(unknown));

            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port()
                    + "/api/audit")).header("Authorization", "Bearer admin-token-01234567").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            List<String> rows = Json.createReader(new StringReader(r.body())).readObject().getJsonArray("entries")
                    .stream().map(JsonValue::asJsonObject)
                    .map(e -> e.getString("token") + " " + e.getString("point") + "=" + e.getString("result") + " "
                            + e.get("newValue"))
                    .toList();
            assertEquals(List.of("ops warp-drive=unknown-property null",
                    "ops Pump Speed Setpoint=bad-value null", "ops Operating Mode=bad-value \"TURBO\"",
                    "ops Tank Level=read-only null", "hes Pump Speed Setpoint=forbidden null"), rows);
        }
    }

    /** A real gateway polling a simulated PLC (values frozen) every 200 ms as meter plc-1. */
    private record PlcRig(ModbusTcpSimulator simulator, Gateway gateway) implements AutoCloseable {

        /** @param security YAML lines added to the config (a security section), or "" */
        static PlcRig start(Path state, String security) throws Exception {
            SimulatedDevice device = SimulatedDevice.of(ProfileCatalog.shipped().find("plc").orElseThrow(), 7,
                    Clock.systemUTC());
            device.freeze(true);
            ModbusTcpSimulator sim = ModbusTcpSimulator.builder().port(0).unit(1, device).build().start();
            try {
                return new PlcRig(sim, Gateway.start(ConfigLoader.loadYaml("""
                        state-dir: "%s"
                        server: {port: 0}
                        %sbuses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                        devices: [{meter-no: plc-1, bus: b, unit-id: 1, profile: plc, interval: 200ms}]
                        """.formatted(state, security, sim.port()), "w.yaml", state), new ProtocolConnector(),
                        Clock.systemUTC()));
            } catch (Exception | Error e) {
                sim.close();
                throw e;
            }
        }

        @Override
        public void close() {
            gateway.close();
            simulator.close();
        }
    }

    private static String get(HttpClient http, String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> put(HttpClient http, String uri, String body) throws Exception {
        return put(http, uri, body, Map.of("Content-Type", "application/json"));
    }

    private static HttpResponse<String> put(HttpClient http, String uri, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).PUT(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
