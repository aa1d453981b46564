package io.edgegateway.app;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.PointValue;
import io.edgegateway.poll.BusStats;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.sse.SseTestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain: simulated meters on local ports → drivers → scheduler → hub → SSE → a real HTTP client.
 */
class GatewayEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ProfileCatalog profiles = ProfileCatalog.shipped();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private SimulatedDevice frozen(String profile, long seed) {
        SimulatedDevice d = SimulatedDevice.of(profiles.find(profile).orElseThrow(), seed, Clock.systemUTC());
        d.freeze(true);
        return d;
    }

    private ModbusTcpSimulator tcp(SimulatedDevice device) throws Exception {
        ModbusTcpSimulator s = ModbusTcpSimulator.builder().port(0).unit(1, device).build().start();
        closing.add(s);
        return s;
    }

    @TempDir
    Path state;

    private void start(String yaml) {
        gateway = Gateway.start(ConfigLoader.loadYaml("state-dir: \"" + state + "\"\n" + yaml, "e2e.yaml", Path.of(".")),
                new ProtocolConnector(), Clock.systemUTC());
    }

    private SseTestClient open(String path) throws Exception {
        SseTestClient c = SseTestClient.open(http, URI.create("http://127.0.0.1:" + gateway.port() + path), Map.of());
        closing.add(c);
        assertEquals("connected", c.next(WAIT).event());
        return c;
    }

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    private static PointValue number(String v) {
        return new PointValue.Number(new BigDecimal(v));
    }

    @Test
    void aModbusMeterStreamsTheDocumentedReadingAndOnlyChanges() throws Exception {
        SimulatedDevice meter = frozen("sdm120", 1);
        meter.pin("L1 Voltage", number("230.5"));
        meter.pin("L1 Current", number("5.2"));
        meter.pin("Frequency", number("50.1"));
        meter.pin("Total absolute cumulative active energy register", number("1456.78"));
        ModbusTcpSimulator sim = tcp(meter);
        start("""
                server: {port: 0}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: "62124022443", bus: b, unit-id: 1, profile: sdm120, interval: 500ms}]
                """.formatted(sim.port()));

        SseTestClient c = open("/api/sse/real-time-data/62124022443");
        SseTestClient.Event first = c.next(WAIT);
        assertEquals("message", first.event());
        JsonObject r = json(first.data());
        assertEquals("62124022443", r.getString("meterNo"));
        assertTrue(r.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), r.getString("timestamp"));
        assertEquals("230.5 V", r.getString("L1 Voltage"));
        assertEquals("5.20 A", r.getString("L1 Current"));
        assertEquals("50.1 Hz", r.getString("Frequency"));
        assertEquals("1456.78 kWh", r.getString("Total absolute cumulative active energy register"));
        assertEquals("0.000", json(first.data()).getString("L1 Power Factor").replaceAll("[1-9]", "0").substring(0, 5),
                "no unit: the number only");
        assertEquals(profiles.find("sdm120").orElseThrow().points().size() + 2, r.size(), "every point, plus meterNo and timestamp");

        // Polls every 500 ms of a frozen meter: nothing new for 2 s.
        assertEquals(List.of(), c.drain(Duration.ofSeconds(2)));
        // One value moves: exactly one event, within a poll interval (plus delivery).
        long changed = System.nanoTime();
        meter.pin("L1 Voltage", number("241.0"));
        SseTestClient.Event change = c.next(Duration.ofSeconds(2));
        assertNotNull(change, "the change arrives");
        double seconds = (change.receivedNanos() - changed) / 1e9;
        assertTrue(seconds < 0.5 + 0.5, "within one poll interval (0.5 s) and delivery, took " + seconds);
        assertEquals("241.0 V", json(change.data()).getString("L1 Voltage"));
        assertEquals(List.of(), c.drain(Duration.ofSeconds(1)), "and only one");
    }

    @Test
    void statusGoesDisconnectedWhenTheMeterStopsAndBackWhenItReturns() throws Exception {
        ModbusTcpSimulator sim = tcp(frozen("sdm120", 2));
        start("""
                server: {port: 0}
                polling: {backoff-base: 200ms, backoff-max: 1s}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 300ms, connect-timeout: 300ms}]
                devices: [{meter-no: m1, bus: b, unit-id: 1, profile: sdm120, interval: 300ms}]
                """.formatted(sim.port()));
        SseTestClient c = open("/api/sse/meter-status/m1");
        assertEquals("CONNECTED", awaitStatus(c, "CONNECTED"));

        sim.stop();
        assertEquals("DISCONNECTED", awaitStatus(c, "DISCONNECTED"));
        JsonObject down = json(http.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/api/meters/m1")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("DISCONNECTED", down.getString("status"));
        assertTrue(down.getJsonObject("polling").getInt("consecutiveFailures") >= 1);

        sim.restart();
        assertEquals("CONNECTED", awaitStatus(c, "CONNECTED"));
    }

    @Test
    void exceptionCodesShowAsErrorAndClearWhenTheMeterRecovers() throws Exception {
        ModbusTcpSimulator sim = tcp(frozen("sdm120", 3));
        start("""
                server: {port: 0}
                polling: {backoff-base: 200ms, backoff-max: 1s}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: m1, bus: b, unit-id: 1, profile: sdm120, interval: 300ms}]
                """.formatted(sim.port()));
        SseTestClient c = open("/api/sse/meter-status/m1");
        assertEquals("CONNECTED", awaitStatus(c, "CONNECTED"));
        sim.faults().set(FaultPlan.exception(4));
        assertEquals("ERROR", awaitStatus(c, "ERROR"));
        sim.faults().clear();
        assertEquals("CONNECTED", awaitStatus(c, "CONNECTED"));
    }

    @Test
    void aDeadMeterNeverDelaysAnotherBusNorStarvesItsOwnLine() throws Exception {
        ModbusTcpSimulator dead = tcp(frozen("sdm120", 4));
        dead.faults().set(FaultPlan.silence());
        // A serial device server with one healthy meter (unit 1) and two that never answer (units 7, 8).
        ModbusTcpSimulator line = ModbusTcpSimulator.builder().port(0).rtuOverTcp(true).unit(1, frozen("sdm120", 5))
                .build().start();
        closing.add(line);
        ModbusTcpSimulator healthy = tcp(frozen("sdm120", 6));
        start("""
                server: {port: 0}
                polling: {backoff-base: 300ms, backoff-max: 2s, retry-share: 0.25}
                buses:
                  - {name: dead, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 500ms}
                  - {name: line, type: modbus-rtu-over-tcp, host: 127.0.0.1, port: %d, timeout: 300ms}
                  - {name: ok, type: modbus-tcp, host: 127.0.0.1, port: %d}
                devices:
                  - {meter-no: dead-1, bus: dead, unit-id: 1, profile: sdm120, interval: 200ms}
                  - {meter-no: line-1, bus: line, unit-id: 1, profile: sdm120, interval: 200ms}
                  - {meter-no: line-7, bus: line, unit-id: 7, profile: sdm120, interval: 200ms}
                  - {meter-no: line-8, bus: line, unit-id: 8, profile: sdm120, interval: 200ms}
                  - {meter-no: ok-1, bus: ok, unit-id: 1, profile: sdm120, interval: 200ms}
                """.formatted(dead.port(), line.port(), healthy.port()));
        double seconds = 6;
        Thread.sleep((long) (seconds * 1000));
        Map<String, BusStats> stats = new java.util.HashMap<>();
        gateway.stats().forEach(b -> stats.put(b.name(), b));
        long okPolls = stats.get("ok").polls();
        assertTrue(okPolls >= 0.8 * seconds / 0.2, "6 s at 200 ms on its own bus: ~30 polls whatever the dead bus does, got " + okPolls);
        assertEquals(0, stats.get("ok").errorCount());
        var lineDevices = stats.get("line").devices();
        long healthyOnLine = lineDevices.stream().filter(d -> d.meterNo().equals("line-1")).findFirst().orElseThrow().polls();
        long deadAttempts = lineDevices.stream().filter(d -> !d.meterNo().equals("line-1")).mapToLong(d -> d.polls()).sum();
        // A dead unit costs 300 ms timeout + 300 ms late-reply guard. The budget bounds failing time over T to
        // share*T + burst (1 s) + one attempt: 0.25*6 + 1 + 0.6 = 3.1 s, leaving the healthy meter >= 2.9 s.
        double attempt = 0.6;
        double bound = 0.25 * seconds + 1 + attempt;
        assertTrue(deadAttempts * attempt <= bound + attempt, "dead units stay within the line share: " + deadAttempts
                + " attempts");
        assertTrue(healthyOnLine >= (seconds - bound) / 0.2 - 1, "the healthy meter on the shared line keeps the rest: "
                + healthyOnLine + " polls");
        assertEquals("DISCONNECTED", gateway.hub().status("dead-1").status().name());
        assertEquals("CONNECTED", gateway.hub().status("line-1").status().name());
    }

    @Test
    void aDlmsMeterStreamsLikeAModbusMeter() throws Exception {
        DlmsSimulator dlms = DlmsSimulator.builder().wrapperTcp().port(0).serialNumber("62124022447").build().start();
        closing.add(dlms::stop);
        dlms.device().freeze(true);
        dlms.device().pin("Total absolute cumulative active energy register", number("1456.78"));
        dlms.device().pin("Remaining Credit Amount", number("250"));
        start("""
                server: {port: 0}
                buses: [{name: d, type: dlms-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: "62124022447", bus: d, profile: dlms-standard, interval: 1s}]
                """.formatted(dlms.port()));
        SseTestClient c = open("/api/sse/meters");
        SseTestClient.Event data = c.next("data", WAIT);
        assertNotNull(data);
        JsonObject r = json(data.data());
        assertEquals("62124022447", r.getString("meterNo"));
        assertEquals("1456.78 kWh", r.getString("Total absolute cumulative active energy register"));
        assertEquals("250.00", r.getString("Remaining Credit Amount"));
        assertTrue(r.getString("L1 Voltage").matches("2\\d\\d\\.\\d V"), r.getString("L1 Voltage"));
        assertTrue(r.getString("Frequency").matches("\\d\\d\\.\\d Hz"), r.getString("Frequency"));
    }

    @Test
    void aGroupTheMeterRefusesDoesNotFlipTheMetersStatus() throws Exception {
        // Strict addressing: unit 1 serves the SDM120 map and refuses everything else (exception 02).
        ModbusTcpSimulator sim = ModbusTcpSimulator.builder().port(0).strict(true).unit(1, frozen("sdm120", 7))
                .build().start();
        closing.add(sim);
        start("""
                server: {port: 0}
                polling: {backoff-base: 100ms, backoff-max: 200ms}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices:
                  - meter-no: m1
                    bus: b
                    unit-id: 1
                    interval: 300ms
                    points:
                      - {name: L1 Voltage, table: input, address: 0, type: float32, unit: V, decimals: 1}
                      - {name: Missing, table: holding, address: 4000, type: uint16}
                    groups: [{interval: 300ms, points: [Missing]}]
                """.formatted(sim.port()));
        SseTestClient c = open("/api/sse/meter-status/m1");
        assertEquals("CONNECTED", awaitStatus(c, "CONNECTED"));
        List<SseTestClient.Event> flips = c.drain(Duration.ofSeconds(2));
        assertEquals(List.of(), flips, "one group refused every cycle must not flip the meter: " + flips);
        JsonObject polling = json(http.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/api/meters/m1")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).getJsonObject("polling");
        assertTrue(polling.getString("lastError").contains("02"), "the refused group is still reported: " + polling);
    }

    @Test
    void aDlmsMeterCanBeNamedByItsSerialNumber() throws Exception {
        DlmsSimulator dlms = DlmsSimulator.builder().wrapperTcp().port(0).serialNumber("SIM-4711").build().start();
        closing.add(dlms::stop);
        start("""
                server: {port: 0}
                buses:
                  - {name: d, type: dlms-tcp, host: 127.0.0.1, port: %d}
                  - {name: gone, type: dlms-tcp, host: 127.0.0.1, port: 1, connect-timeout: 200ms}
                devices:
                  - {meter-no: auto, bus: d, profile: dlms-standard, interval: 1s}
                  - {meter-no: auto, bus: gone, profile: dlms-standard, interval: 1s}
                """.formatted(dlms.port()));
        assertTrue(gateway.hub().knows("SIM-4711"), "named by its serial number: " + gateway.hub().meterNos());
        assertTrue(gateway.hub().knows("auto-gone-1"), "a meter that did not answer gets a provisional number");
        SseTestClient c = open("/api/sse/real-time-data/SIM-4711");
        assertEquals("SIM-4711", json(c.next(WAIT).data()).getString("meterNo"));
    }

    /** Reads status events until {@code expected} comes (the snapshot may show the state before the first poll). */
    private String awaitStatus(SseTestClient c, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            SseTestClient.Event e = c.next("meter-status", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (e == null) {
                break;
            }
            last = json(e.data()).getString("status");
            if (last.equals(expected)) {
                return last;
            }
        }
        return last;
    }
}
