package io.edgegateway.app;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.profile.ProfileParser;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.write.BusWriter;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes end to end: a token's rights, the REST route, the checks, the bus scheduler, a simulated PLC on a real
 * port answering FC05/06/16 (and refusing with its exception codes), the value read back, the audit trail in the
 * SQLite file, and the PLC's process reacting to what was written.
 */
class PointWriteTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String READER = "reader-0123456789";
    private static final String OPERATOR = "operator-0123456789";
    private static final String BOSS = "boss-0123456789abc";
    private static final String TOKENS = """
            security:
              tokens:
                - {name: hes, token: %s}
                - {name: operator, token: %s, write: true}
                - {name: boss, token: %s, admin: true}
            """.formatted(READER, OPERATOR, BOSS);

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
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /**
     * The shipped PLC profile with a float32 copy of the speed setpoint at holding 20 (FC16), and a high level
     * setpoint the gateway lets go to 150 % while the PLC takes 0..100 (so the PLC answers 03).
     */
    private Path plcFloatProfile() throws Exception {
        String plc = new String(ProfileCatalog.class.getResourceAsStream("/profiles/plc.yaml").readAllBytes(),
                StandardCharsets.UTF_8);
        String yaml = plc.replace("name: plc\n", "name: plc-float\n")
                .replace("writable: true, min: 0, max: 100, step: 0.1, quantity: plc.setpoint.level.high",
                        "writable: true, min: 0, max: 150, step: 0.1, quantity: plc.setpoint.level.high")
                + "  - {name: Speed Setpoint Float, table: holding, address: 20, type: float32, unit: \"%\", "
                + "decimals: 2, writable: true, min: 0, max: 100, quantity: plc.setpoint.pump.speed}\n";
        assertTrue(yaml.contains("max: 150"), "the profile was edited");
        Path dir = Files.createDirectories(state.resolve("profiles"));
        Files.writeString(dir.resolve("plc-float.yaml"), yaml);
        return dir;
    }

    private ModbusTcpSimulator plc(DeviceProfile profile, boolean frozen, List<String> log) throws Exception {
        SimulatedDevice d = SimulatedDevice.of(profile, 7, Clock.systemUTC());
        d.freeze(frozen);
        ModbusTcpSimulator.Builder b = ModbusTcpSimulator.builder().port(0).unit(1, d);
        if (log != null) {
            b.log(log::add);
        }
        ModbusTcpSimulator s = b.build().start();
        closing.add(s);
        return s;
    }

    private void start(String yaml) {
        gateway = Gateway.start(ConfigLoader.loadYaml("state-dir: \"" + state + "\"\n" + yaml, "w.yaml", state),
                new ProtocolConnector(), Clock.systemUTC());
    }

    /** The gateway with {@link #TOKENS}, polling {@code sim} as meter plc1 every 200 ms. */
    private void startWithTokens(ModbusTcpSimulator sim) {
        start(TOKENS + """
                server: {port: 0}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: plc1, bus: b, unit-id: 1, profile: plc, interval: 200ms}]
                """.formatted(sim.port()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private static String path(String meterNo, String point) {
        return "/api/meters/" + meterNo + "/points/" + URLEncoder.encode(point, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private HttpResponse<String> post(String meterNo, String point, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path(meterNo, point)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    /** Asks for the meter until its status and reading satisfy {@code until}; the last answer. */
    private JsonObject awaitMeter(String meterNo, String token, Predicate<JsonObject> until) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < end) {
            last = json(get("/api/meters/" + meterNo, token).body());
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("meter " + meterNo + " never got there; last: " + last);
    }

    private static Predicate<JsonObject> shows(String point, String value) {
        return m -> m.get("reading") instanceof JsonObject r && value.equals(r.getString(point, null));
    }

    private static Predicate<JsonObject> connected() {
        return m -> "CONNECTED".equals(m.getString("status"));
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code, String inMessage) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject e = json(r.body());
        assertEquals(code, e.getString("error"), r.body());
        assertTrue(e.getString("message").contains(inMessage), "message names it: " + r.body());
    }

    private JsonArray audit(String query) throws Exception {
        HttpResponse<String> r = get("/api/audit" + query, BOSS);
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body()).getJsonArray("entries");
    }

    @Test
    void writesAreAcceptedReadBackAndAuditedOrRefusedForEachReason() throws Exception {
        Path profiles = plcFloatProfile();
        DeviceProfile plcFloat = ProfileParser.parse(ConfigNode.readFile(profiles.resolve("plc-float.yaml")));
        ModbusTcpSimulator sim = plc(plcFloat, true, null);
        start(TOKENS + """
                server: {port: 0}
                profiles: "%s"
                polling: {backoff-base: 200ms, backoff-max: 1s}
                buses:
                  - {name: b, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 500ms}
                  - {name: gone, type: modbus-tcp, host: 127.0.0.1, port: 1, timeout: 200ms, connect-timeout: 200ms}
                devices:
                  - {meter-no: plc1, bus: b, unit-id: 1, profile: plc-float, interval: 200ms}
                  - {meter-no: away, bus: gone, unit-id: 1, profile: plc, interval: 200ms}
                """.formatted(profiles, sim.port()));
        awaitMeter("plc1", READER, connected());

        // FC06: a scaled holding register, read back; the reading shows it at once.
        HttpResponse<String> ok = post("plc1", "Pump Speed Setpoint", "{\"value\": 55.0}", OPERATOR);
        assertEquals(200, ok.statusCode(), ok.body());
        JsonObject w = json(ok.body());
        assertEquals("plc1", w.getString("meterNo"));
        assertEquals("Pump Speed Setpoint", w.getString("point"));
        assertEquals(new BigDecimal("75.0"), w.getJsonNumber("previous").bigDecimalValue(), "the simulator's 75 %");
        assertEquals(new BigDecimal("55.0"), w.getJsonNumber("value").bigDecimalValue(), ok.body());
        assertEquals("55.0 %", w.getString("shown"));
        assertTrue(w.getString("timestamp").endsWith("Z"));
        assertEquals(550, sim.device(1).value(plcFloat.point("Pump Speed Setpoint").orElseThrow()) instanceof
                io.edgegateway.point.PointValue.Number n ? n.value().multiply(BigDecimal.TEN).intValue() : -1,
                "the PLC holds it");
        awaitMeter("plc1", READER, shows("Pump Speed Setpoint", "55.0 %"));

        // FC16: a float32 over two registers; the other view of the same setpoint follows.
        HttpResponse<String> f = post("plc1", "Speed Setpoint Float", "{\"value\": 62.25}", OPERATOR);
        assertEquals(200, f.statusCode(), f.body());
        assertEquals("62.25 %", json(f.body()).getString("shown"));
        awaitMeter("plc1", READER, shows("Pump Speed Setpoint", "62.3 %"));

        // FC05: a coil, by boolean and by label; a labelled register by its label (admin implies write).
        HttpResponse<String> coil = post("plc1", "Pump Enable", "{\"value\": false}", BOSS);
        assertEquals(200, coil.statusCode(), coil.body());
        assertEquals(JsonValue.TRUE, json(coil.body()).get("previous"));
        assertEquals(JsonValue.FALSE, json(coil.body()).get("value"));
        assertEquals("OFF", json(coil.body()).getString("shown"));
        assertEquals("ON", json(post("plc1", "Pump Enable", "{\"value\": \"on\"}", OPERATOR).body())
                .getString("shown"));
        HttpResponse<String> mode = post("plc1", "Operating Mode", "{\"value\": \"MANUAL\"}", OPERATOR);
        assertEquals(200, mode.statusCode(), mode.body());
        assertEquals(2, json(mode.body()).getInt("value"));
        assertEquals("MANUAL", json(mode.body()).getString("shown"));

        // Refused, each for its reason, before the device is asked.
        assertRefused(post("plc1", "Tank Level", "{\"value\": 50}", OPERATOR), 409, "not-writable", "read only");
        assertRefused(post("plc1", "Pump Speed Setpoint", "{\"value\": 120}", OPERATOR), 400, "out-of-range",
                "0 .. 100");
        assertRefused(post("plc1", "Pump Speed Setpoint", "{\"value\": 55.3}", OPERATOR), 400, "off-step",
                "step 0.5");
        assertRefused(post("plc1", "Level Low Setpoint", "{\"value\": 30.25}", OPERATOR), 400, "off-step",
                "step 0.1");
        assertRefused(post("plc1", "Pump Speed Setpoint", "{\"value\": \"fast\"}", OPERATOR), 400, "wrong-type",
                "takes a number");
        assertRefused(post("plc1", "Pump Enable", "{\"value\": 2}", OPERATOR), 400, "wrong-type", "on or off");
        assertRefused(post("plc1", "Pump Speed Setpoint", "{\"speed\": 5}", OPERATOR), 400, "bad-json", "value");
        assertRefused(post("nope", "Pump Speed Setpoint", "{\"value\": 5}", OPERATOR), 404, "unknown-meter", "nope");
        assertRefused(post("plc1", "Warp Drive", "{\"value\": 5}", OPERATOR), 404, "unknown-point",
                "Pump Speed Setpoint");
        assertRefused(post("away", "Pump Speed Setpoint", "{\"value\": 5}", OPERATOR), 409, "device-disconnected",
                "DISCONNECTED");
        // The gateway allows 150 %, the PLC only 100: its exception code comes back named.
        assertRefused(post("plc1", "Level High Setpoint", "{\"value\": 120}", OPERATOR), 502, "device-exception",
                "ILLEGAL DATA VALUE (3)");
        // Rights: a read-only token, no token.
        assertRefused(post("plc1", "Pump Speed Setpoint", "{\"value\": 50}", READER), 403, "forbidden", "write: true");
        assertEquals(401, post("plc1", "Pump Speed Setpoint", "{\"value\": 50}", null).statusCode());
        awaitMeter("plc1", READER, shows("Pump Speed Setpoint", "62.3 %")); // nothing refused reached the PLC

        // The audit trail: admin only; every attempt that reached the route, newest first.
        assertEquals(403, get("/api/audit", READER).statusCode());
        assertEquals(403, get("/api/audit", OPERATOR).statusCode());
        assertEquals(401, get("/api/audit", null).statusCode());
        JsonArray all = audit("");
        List<String> results = all.stream().map(v -> v.asJsonObject().getString("result")).toList();
        assertEquals(List.of("forbidden", "device-exception", "device-disconnected", "unknown-point",
                "unknown-meter", "bad-json", "wrong-type", "wrong-type", "off-step", "off-step", "out-of-range",
                "not-writable", "ok", "ok", "ok", "ok", "ok"), results);
        JsonObject first = all.getJsonObject(all.size() - 1);
        assertEquals("operator", first.getString("token"));
        assertEquals("plc1", first.getString("meterNo"));
        assertEquals("Pump Speed Setpoint", first.getString("point"));
        assertEquals(new BigDecimal("75.0"), first.getJsonNumber("oldValue").bigDecimalValue());
        assertEquals(new BigDecimal("55.0"), first.getJsonNumber("newValue").bigDecimalValue());
        assertEquals("read back 55.0 %", first.getString("detail"));
        JsonObject refusedByPlc = all.getJsonObject(1);
        assertTrue(refusedByPlc.getString("detail").contains("ILLEGAL DATA VALUE (3)"), refusedByPlc.toString());
        assertEquals("boss", all.getJsonObject(all.size() - 3).getString("token"), "the coil, by the admin");
        assertEquals("hes", all.getJsonObject(0).getString("token"));
        // Filters and the file itself.
        assertEquals(1, audit("?meter=away").size());
        HttpResponse<String> nope = get("/api/audit?meter=nope", BOSS);
        assertEquals(404, nope.statusCode(), nope.body());
        assertEquals("unknown-meter", json(nope.body()).getString("error"), "as /api/alerts?meter=nope");
        assertEquals(2, audit("?limit=2").size());
        assertEquals(400, get("/api/audit?limit=0", BOSS).statusCode());
        assertEquals(400, get("/api/audit?from=yesterday", BOSS).statusCode());
        assertEquals(0, audit("?to=2020-01-01T00:00:00Z").size());
        assertEquals(all.size(), sqliteCount(gateway.store().config().path()));
    }

    private static int sqliteCount(Path db) throws Exception {
        Process p = new ProcessBuilder("sqlite3", "-readonly", db.toString(), "SELECT count(*) FROM audit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return Integer.parseInt(out);
    }

    @Test
    void thePlcsProcessFollowsWrittenSetpoints() throws Exception {
        ModbusTcpSimulator sim = plc(ProfileCatalog.shipped().find("plc").orElseThrow(), false, null);
        startWithTokens(sim);
        // The tank starts at 55 %, between the setpoints (30, 80): in AUTO the pump waits for the low setpoint.
        awaitMeter("plc1", READER, connected().and(shows("Pump Running", "STOPPED"))
                .and(shows("Process State", "DRAINING")));

        // A low setpoint above the level starts the pump: it fills, ramping to the speed setpoint (75 %).
        assertEquals(200, post("plc1", "Level Low Setpoint", "{\"value\": 70}", OPERATOR).statusCode());
        awaitMeter("plc1", READER, shows("Process State", "FILLING").and(shows("Pump Running", "RUNNING"))
                .and(shows("Pump Speed", "75.0 %")));

        // The pump speed follows a new speed setpoint.
        assertEquals(200, post("plc1", "Pump Speed Setpoint", "{\"value\": 40}", OPERATOR).statusCode());
        awaitMeter("plc1", READER, shows("Pump Speed", "40.0 %"));

        // OFF stops the pump whatever the level.
        assertEquals(200, post("plc1", "Operating Mode", "{\"value\": \"OFF\"}", OPERATOR).statusCode());
        awaitMeter("plc1", READER, shows("Process State", "IDLE").and(shows("Pump Running", "STOPPED"))
                .and(shows("Pump Speed", "0.0 %")));
    }

    /**
     * A write never shares the line with a poll: with every answer late (40 ms) a poll of the PLC takes four
     * requests and 160 ms, and writes fired from several threads meanwhile each land between two whole polls.
     * (Writes go first: a burst of them holds polls back until it is done.)
     */
    @Test
    void aWriteNeverInterleavesWithAPoll() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        ModbusTcpSimulator sim = plc(ProfileCatalog.shipped().find("plc").orElseThrow(), true, log);
        start(TOKENS + """
                server: {port: 0}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 1s}]
                devices: [{meter-no: plc1, bus: b, unit-id: 1, profile: plc, interval: 100ms}]
                """.formatted(sim.port()));
        awaitMeter("plc1", READER, connected());
        sim.faults().set(1, FaultPlan.delayed(Duration.ofMillis(40)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResponse<String>>> done = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                String value = String.valueOf(10 + i);
                Callable<HttpResponse<String>> write = () -> post("plc1", "Pump Speed Setpoint",
                        "{\"value\": " + value + "}", OPERATOR);
                done.add(pool.submit(write));
                Thread.sleep(i % 3 == 2 ? 400 : 23); // bursts of three, with polls between the bursts
            }
            for (Future<HttpResponse<String>> d : done) {
                assertEquals(200, d.get().statusCode(), d.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> requests;
        synchronized (log) {
            requests = log.stream().map(PointWriteTest::request).toList();
        }
        // The poll's requests (whole tables) and the write's (FC03 of one register, FC06).
        List<String> poll = requests.stream().filter(r -> !r.endsWith("+1") && !r.startsWith("FC06")).distinct()
                .toList();
        assertEquals(4, poll.size(), "input, holding, coils, discretes: " + poll);
        int polled = 0;
        int writes = 0;
        for (String r : requests) {
            if (poll.contains(r)) {
                assertEquals(poll.get(polled % 4), r, "polls go in one order");
                polled++;
            } else {
                assertEquals(0, polled % 4, "a write's request " + r + " came in the middle of a poll: " + requests);
                writes += r.startsWith("FC06") ? 1 : 0;
            }
        }
        assertEquals(9, writes);
        // At least a whole poll in each of the two pauses between bursts (more on an idle machine).
        assertTrue(polled >= 8, "polls went on between the bursts: " + polled);
    }

    private static final Pattern REQUEST = Pattern.compile("unit 1 (FC\\d\\d 0x[0-9A-F]{4}\\+\\d+)");

    private static String request(String logLine) {
        Matcher m = REQUEST.matcher(logLine);
        assertTrue(m.find(), logLine);
        String r = m.group(1);
        return r.startsWith("FC06") ? "FC06" + r.substring(4, 11) : r; // FC06 logs its value after the +
    }

    @Test
    void withoutTokensOnlyThisMachineMayWriteOrReadTheAudit() throws Exception {
        ModbusTcpSimulator sim = plc(ProfileCatalog.shipped().find("plc").orElseThrow(), true, null);
        start("""
                server: {port: 0, bind: 0.0.0.0}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: plc1, bus: b, unit-id: 1, profile: plc, interval: 200ms}]
                """.formatted(sim.port()));
        awaitMeter("plc1", null, connected());
        HttpResponse<String> local = post("plc1", "Pump Speed Setpoint", "{\"value\": 20}", null);
        assertEquals(200, local.statusCode(), local.body());
        assertEquals(1, json(get("/api/audit", null).body()).getJsonArray("entries").size());
        assertEquals(json("{\"tokens\":false,\"token\":null,\"write\":true,\"admin\":true}"),
                json(get("/api/session", null).body()), "this machine may write without tokens");
        assertTrue(json(get("/api/audit", null).body()).getJsonArray("entries").getJsonObject(0).isNull("token"));

        Optional<InetAddress> lan = nonLoopbackAddress();
        assertTrue(lan.isPresent() || Boolean.getBoolean("skip.external"),
                "this test needs an IPv4 address besides loopback (found none)");
        if (lan.isEmpty()) {
            return;
        }
        HttpClient fromLan = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(lan.get())
                .build();
        URI there = URI.create("http://" + lan.get().getHostAddress() + ":" + gateway.port());
        HttpResponse<String> remote = fromLan.send(HttpRequest.newBuilder(there.resolve(path("plc1",
                "Pump Speed Setpoint"))).POST(HttpRequest.BodyPublishers.ofString("{\"value\": 30}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(remote, 403, "forbidden", "only allowed from this machine");
        HttpResponse<String> remoteWot = fromLan.send(HttpRequest.newBuilder(there.resolve(
                "/api/things/plc1/properties/pump-speed-setpoint")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("30")).build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(remoteWot, 403, "forbidden", "only allowed from this machine");
        assertTrue(json(fromLan.send(HttpRequest.newBuilder(there.resolve("/api/session")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).toString().contains("\"write\":false"));
        assertEquals(403, fromLan.send(HttpRequest.newBuilder(there.resolve("/api/audit")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        JsonArray entries = json(get("/api/audit", null).body()).getJsonArray("entries");
        assertEquals(List.of("ok"), entries.stream().map(e -> e.asJsonObject().getString("result")).toList(),
                "anyone on the network may send these, nameless: not audited (PointWriter.notLocal)");
        awaitMeter("plc1", null, shows("Pump Speed Setpoint", "20.0 %"));
    }

    /**
     * A write the caller stopped waiting for still reaches the device: its 504 row is followed by a second one when
     * the bus thread is done, so the trail never hides a changed setpoint.
     */
    @Test
    void aWriteThatEndsAfterTheCallersTimeoutIsAuditedWhenItEnds() throws Exception {
        ModbusTcpSimulator sim = plc(ProfileCatalog.shipped().find("plc").orElseThrow(), true, null);
        start(TOKENS + """
                server: {port: 0}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 2s}]
                devices: [{meter-no: plc1, bus: b, unit-id: 1, profile: plc, interval: 1h}]
                """.formatted(sim.port()));
        awaitMeter("plc1", READER, connected()); // polled once: the bus is idle, and takes the write at once
        sim.faults().set(1, FaultPlan.delayed(Duration.ofMillis(500)));
        // The gateway's writer waits 10 s + 30 s; this one 300 ms in all, less than the write's three exchanges.
        BusWriter impatient = new BusWriter(gateway.config(), gateway.hub(), gateway::buses, gateway.store(),
                Clock.systemUTC(), Duration.ofMillis(200), Duration.ofMillis(100));
        var outcome = impatient.write("operator", "plc1", "Pump Speed Setpoint", Json.createValue(40));
        assertTrue(outcome instanceof io.edgegateway.write.WriteOutcome.Refused r && r.httpStatus() == 504
                && r.message().contains("may or may not"), outcome.toString());
        long end = System.nanoTime() + WAIT.toNanos();
        JsonArray rows = audit("");
        while (rows.size() < 2 && System.nanoTime() < end) {
            Thread.sleep(50);
            rows = audit("");
        }
        assertEquals(List.of("ok (late)", "device-timeout"), rows.stream()
                .map(v -> v.asJsonObject().getString("result")).toList(), rows.toString());
        JsonObject late = rows.getJsonObject(0);
        assertEquals("after the caller's timeout: read back 40.0 %", late.getString("detail"));
        assertEquals(new BigDecimal("75.0"), late.getJsonNumber("oldValue").bigDecimalValue());
        assertEquals(new BigDecimal("40"), late.getJsonNumber("newValue").bigDecimalValue());
        awaitMeter("plc1", READER, shows("Pump Speed Setpoint", "40.0 %")); // published with the read-back value
    }

    /** Meter and point come from the path: a line feed in them is escaped in the log, never a line of its own. */
    @Test
    void aNameInThePathCannotForgeALogLine() throws Exception {
        ModbusTcpSimulator sim = plc(ProfileCatalog.shipped().find("plc").orElseThrow(), true, null);
        startWithTokens(sim);
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        Logger log = Logger.getLogger(BusWriter.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/meters/plc1%0AINFO:%20forged/points/"
                    + "Pump%0D%0ASpeed")).header("Authorization", "Bearer " + OPERATOR)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"value\": 5}")).build(), HttpResponse.BodyHandlers.ofString());
            assertRefused(r, 404, "unknown-meter", "plc1\nINFO: forged");
        } finally {
            log.removeHandler(h);
        }
        List<String> lines;
        synchronized (logged) {
            lines = List.copyOf(logged);
        }
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.getFirst().contains("plc1\\u000aINFO: forged 'Pump\\u000d\\u000aSpeed'"), lines.getFirst());
        assertTrue(lines.getFirst().chars().noneMatch(Character::isISOControl), lines.getFirst());
        assertEquals("plc1\nINFO: forged", audit("").getJsonObject(0).getString("meterNo"),
                "the trail keeps what was asked; its JSON escapes it");
        // A long name is cut, so that the trail's row cap also bounds its size.
        assertRefused(post("plc1", "x".repeat(4000), "{\"value\": 5}", OPERATOR), 404, "unknown-point", "");
        JsonObject row = audit("").getJsonObject(0);
        assertEquals("x".repeat(128) + "…", row.getString("point"));
        assertTrue(row.getString("detail").length() <= 513, row.getString("detail").length() + " characters");
    }

    @Test
    void theSessionTellsAPageWhatItsTokenMayDo() throws Exception {
        ModbusTcpSimulator sim = plc(ProfileCatalog.shipped().find("plc").orElseThrow(), true, null);
        startWithTokens(sim);
        assertEquals(json("{\"tokens\":true,\"token\":\"hes\",\"write\":false,\"admin\":false}"),
                json(get("/api/session", READER).body()));
        assertEquals(json("{\"tokens\":true,\"token\":\"operator\",\"write\":true,\"admin\":false}"),
                json(get("/api/session", OPERATOR).body()));
        assertEquals(json("{\"tokens\":true,\"token\":\"boss\",\"write\":true,\"admin\":true}"),
                json(get("/api/session", BOSS).body()));
        assertEquals(401, get("/api/session", null).statusCode());
    }

    /**
     * The meter's load limit, as a HES operator sets it: the dlms-standard profile's Limiter Threshold
     * (71/0.0.17.0.0.255/4, whole watts) over an LLS association, a SET of a double-long-unsigned, read back with
     * threshold_active following it; a value outside the profile's 0..100000 is refused before any SET.
     */
    @Test
    void theLoadLimiterThresholdIsSetByDlmsAndReadBack() throws Exception {
        DlmsSimulator dlms = DlmsSimulator.builder().wrapperTcp().port(0).serialNumber("62124022447").build().start();
        closing.add(dlms::stop);
        dlms.device().freeze(true);
        start(TOKENS + """
                server: {port: 0}
                buses: [{name: d, type: dlms-tcp, host: 127.0.0.1, port: %d}]
                devices:
                  - meter-no: "62124022447"
                    bus: d
                    profile: dlms-standard
                    interval: 200ms
                    dlms: {client: 32, authentication: lls, password: "12345678"}
                """.formatted(dlms.port()));
        awaitMeter("62124022447", READER, connected().and(shows("Limiter Threshold Active", "10000 W")));
        long sets = dlms.served().sets();

        HttpResponse<String> ok = post("62124022447", "Limiter Threshold", "{\"value\": 12500}", OPERATOR);
        assertEquals(200, ok.statusCode(), ok.body());
        JsonObject w = json(ok.body());
        assertEquals("Limiter Threshold", w.getString("point"));
        assertEquals(new BigDecimal("10000"), w.getJsonNumber("previous").bigDecimalValue(), "the meter's 10 kW");
        assertEquals(new BigDecimal("12500"), w.getJsonNumber("value").bigDecimalValue(), ok.body());
        assertEquals("12500 W", w.getString("shown"));
        assertEquals(sets + 1, dlms.served().sets(), "one SET");
        DeviceProfile standard = DlmsSimulator.defaultProfile();
        for (String point : List.of("Limiter Threshold", "Limiter Threshold Active")) {
            PointValue held = dlms.device().value(standard.point(point).orElseThrow());
            assertEquals(0, new BigDecimal("12500").compareTo(((PointValue.Number) held).value()),
                    point + " in the meter: " + held);
        }
        awaitMeter("62124022447", READER, shows("Limiter Threshold Active", "12500 W"));

        assertRefused(post("62124022447", "Limiter Threshold", "{\"value\": 100001}", OPERATOR), 400,
                "out-of-range", "0 .. 100000");
        assertRefused(post("62124022447", "Limiter Threshold", "{\"value\": 12500.5}", OPERATOR), 400,
                "off-step", "step 1");
        assertRefused(post("62124022447", "Limiter Threshold Active", "{\"value\": 1}", OPERATOR), 409,
                "not-writable", "read only");
        assertEquals(sets + 1, dlms.served().sets(), "nothing refused reached the meter");

        JsonArray audit = audit("?meter=62124022447");
        assertEquals(List.of("not-writable", "off-step", "out-of-range", "ok"),
                audit.stream().map(v -> v.asJsonObject().getString("result")).toList());
        JsonObject row = audit.getJsonObject(3);
        assertEquals("operator", row.getString("token"));
        assertEquals(new BigDecimal("10000"), row.getJsonNumber("oldValue").bigDecimalValue());
        assertEquals(new BigDecimal("12500"), row.getJsonNumber("newValue").bigDecimalValue());
        assertEquals("read back 12500 W", row.getString("detail"));
    }

    /**
     * A DLMS point marked writable goes out as a SET in the attribute's own type; the simulated meter lets no
     * client set a register, and the public client not even the load limit, so its data-access-result comes back
     * named, and audited.
     */
    @Test
    void aDlmsWriteIsASetAndTheMetersRefusalIsNamed() throws Exception {
        DlmsSimulator dlms = DlmsSimulator.builder().wrapperTcp().port(0).serialNumber("62124022447").build().start();
        closing.add(dlms::stop);
        dlms.device().freeze(true);
        Path dir = Files.createDirectories(state.resolve("dlms-profiles"));
        Files.writeString(dir.resolve("dlms-set.yaml"), """
                name: dlms-set
                protocol: dlms
                points:
                  - {name: L1 Voltage, cosem: 3/1.0.32.7.0.255/2, unit: V, decimals: 1, writable: true, min: 0,
                     max: 300}
                  - {name: Limiter Threshold, cosem: 71/0.0.17.0.0.255/4, unit: W, decimals: 0, writable: true}
                """);
        start(TOKENS + """
                server: {port: 0}
                profiles: "%s"
                buses: [{name: d, type: dlms-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: "62124022447", bus: d, profile: dlms-set, interval: 1s}]
                """.formatted(dir, dlms.port()));
        awaitMeter("62124022447", READER, connected());
        long sets = dlms.served().sets();
        assertRefused(post("62124022447", "L1 Voltage", "{\"value\": 231.5}", OPERATOR), 502, "device-exception",
                "read-write-denied (3)");
        assertEquals(sets + 1, dlms.served().sets(), "one SET reached the meter");
        assertRefused(post("62124022447", "Limiter Threshold", "{\"value\": 5000}", OPERATOR), 502,
                "device-exception", "read-write-denied (3)");
        assertEquals(sets + 2, dlms.served().sets(), "the public client's SET reached the meter, which refused it");
        // The profile gives no minimum; the attribute's type (double-long-unsigned, read first) has one.
        assertRefused(post("62124022447", "Limiter Threshold", "{\"value\": -1}", OPERATOR), 400,
                "out-of-range", "beyond what 71/0.0.17.0.0.255/4 holds (double-long-unsigned, 0 to 4294967295)");
        assertEquals(sets + 2, dlms.served().sets(), "refused by the driver before any SET");
        JsonArray audit = audit("?meter=62124022447");
        assertEquals(List.of("out-of-range", "device-exception", "device-exception"),
                audit.stream().map(v -> v.asJsonObject().getString("result")).toList());
        assertTrue(audit.getJsonObject(1).getString("detail").contains("71/0.0.17.0.0.255/4"),
                audit.getJsonObject(1).toString());
        PointValue held = dlms.device().value(DlmsSimulator.defaultProfile().point("Limiter Threshold").orElseThrow());
        assertEquals(0, new BigDecimal("10000").compareTo(((PointValue.Number) held).value()), "unchanged: " + held);
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
