package io.edgegateway.store;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history API of a running gateway, over HTTP, against a simulated meter whose values the test sets. */
@Timeout(90)
class HistoryApiTest {

    private static final String TOKEN = "history-test-token-0123456789";

    @TempDir
    Path dir;

    private ModbusTcpSimulator sim;
    private SimulatedDevice meter;
    private Gateway gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Instant started;

    @BeforeEach
    void setUp() throws Exception {
        meter = SimulatedDevice.of(ProfileCatalog.shipped().find("sdm120").orElseThrow(), 4, Clock.systemUTC());
        meter.freeze(true);
        // Pinned before the first poll: the meter's own start value could lie within the deadband of 229.5.
        meter.pin("L1 Voltage", new PointValue.Number(new BigDecimal("229.5")));
        sim = ModbusTcpSimulator.builder().unit(1, meter).build().start();
        started = Instant.now();
        gateway = Gateway.start(ConfigLoader.loadYaml("""
                server: {port: 0}
                state-dir: "%s"
                storage: {commit-interval: 100ms}
                security: {tokens: [{name: hes, token: %s}]}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: "m1", bus: b, unit-id: 1, profile: sdm120, interval: 100ms}]
                """.formatted(dir, TOKEN, sim.port()), "history-test.yaml", dir), new ProtocolConnector(),
                Clock.systemUTC());
        // Five distinct voltages, each held a while: five readings (and the first, with every point).
        for (String v : List.of("229.5", "231.0", "232.5", "234.0", "235.5")) {
            meter.pin("L1 Voltage", new PointValue.Number(new BigDecimal(v)));
            Thread.sleep(400);
        }
        gateway.store().flush();
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        sim.close();
    }

    private HttpResponse<String> get(String pathAndQuery, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + pathAndQuery));
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void readingsComeOldestFirstInTheDocumentedFormatWithIdsAndPageByCursor() throws Exception {
        String from = q(started.minusSeconds(1).toString());
        HttpResponse<String> r = get("/api/meters/m1/history?from=" + from + "&points=L1%20Voltage&limit=3", true);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject page = json(r);
        JsonArray readings = page.getJsonArray("readings");
        assertEquals(3, readings.size());
        JsonObject first = readings.getJsonObject(0);
        assertEquals("m1", first.getString("meterNo"));
        assertTrue(first.getJsonNumber("id").longValue() > 0);
        assertEquals(List.of("id", "meterNo", "timestamp", "L1 Voltage"), new ArrayList<>(first.keySet()),
                "points= keeps only those keys");
        List<String> volts = new ArrayList<>();
        readings.forEach(v -> volts.add(v.asJsonObject().getString("L1 Voltage")));
        String next = page.getString("next");
        JsonObject rest = json(get("/api/meters/m1/history?from=" + from + "&points=L1%20Voltage&limit=3&cursor="
                + next, true));
        rest.getJsonArray("readings").forEach(v -> volts.add(v.asJsonObject().getString("L1 Voltage")));
        assertTrue(rest.isNull("next"), "the last page says so");
        assertTrue(volts.containsAll(List.of("229.5 V", "231.0 V", "232.5 V", "234.0 V", "235.5 V")), volts.toString());
        for (int i = 1; i < volts.size(); i++) {
            assertTrue(Double.parseDouble(volts.get(i).split(" ")[0]) >= Double.parseDouble(volts.get(i - 1).split(" ")[0]),
                    "oldest first: " + volts);
        }
        JsonObject typed = json(get("/api/meters/m1/history?from=" + from + "&format=typed&limit=1", true));
        assertTrue(typed.getJsonArray("readings").getJsonObject(0).getJsonObject("values").containsKey("Frequency"));
    }

    @Test
    void csvHasAHeaderWithUnitsAndPlainNumbers() throws Exception {
        HttpResponse<String> r = get("/api/meters/m1/history?from=" + q(started.minusSeconds(1).toString())
                + "&format=csv&points=L1%20Voltage,Frequency", true);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        String[] lines = r.body().split("\r\n");
        assertEquals("timestamp,L1 Voltage [V],Frequency [Hz]", lines[0]);
        assertTrue(lines.length >= 6, r.body());
        assertTrue(lines[lines.length - 1].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z,235\\.5,\\d+\\.\\d+"),
                lines[lines.length - 1]);
    }

    @Test
    void bucketsAggregateOverTime() throws Exception {
        JsonObject b = json(get("/api/meters/m1/history?from=" + q(started.minusSeconds(60).toString()) + "&interval=1m"
                + "&points=L1%20Voltage", true));
        assertEquals("1m", b.getString("interval"));
        JsonArray buckets = b.getJsonArray("buckets");
        assertTrue(!buckets.isEmpty(), b.toString());
        JsonObject last = buckets.getJsonObject(buckets.size() - 1).getJsonObject("points").getJsonObject("L1 Voltage");
        assertEquals(235.5, last.getJsonNumber("last").doubleValue(), 1e-9);
        double min = Double.MAX_VALUE;
        double max = 0;
        for (var x : buckets) {
            JsonObject p = x.asJsonObject().getJsonObject("points").getJsonObject("L1 Voltage");
            min = Math.min(min, p.getJsonNumber("min").doubleValue());
            max = Math.max(max, p.getJsonNumber("max").doubleValue());
            double avg = p.getJsonNumber("avg").doubleValue();
            assertTrue(avg >= p.getJsonNumber("min").doubleValue() && avg <= p.getJsonNumber("max").doubleValue(), p.toString());
        }
        assertEquals(229.5, min, 1e-9);
        assertEquals(235.5, max, 1e-9);
    }

    @Test
    void statusHistoryListsTransitions() throws Exception {
        JsonObject s = json(get("/api/meters/m1/status-history?from=" + q(started.minusSeconds(5).toString()), true));
        JsonObject first = s.getJsonArray("statuses").getJsonObject(0);
        assertEquals("CONNECTED", first.getString("status"));
    }

    @Test
    void badInputGetsA400SayingWhatIsWrongAndAnUnknownMeterA404() throws Exception {
        assertRefused("/api/meters/nope/history", 404, "unknown-meter");
        assertRefused("/api/meters/m1/history?from=yesterday", 400, "bad-time");
        assertRefused("/api/meters/m1/history?from=2026-12-01T10:00:00Z&to=2026-12-01T09:00:00Z", 400, "bad-range");
        assertRefused("/api/meters/m1/history?points=Nonsense", 400, "unknown-point");
        assertRefused("/api/meters/m1/history?interval=7s", 400, "bad-interval");
        assertRefused("/api/meters/m1/history?limit=10001", 400, "bad-limit");
        assertRefused("/api/meters/m1/history?cursor=garbage!", 400, "bad-cursor");
        assertRefused("/api/meters/m1/history?format=xml", 400, "bad-format");
        assertEquals(401, get("/api/meters/m1/history", false).statusCode(), "tokens apply");
        assertEquals(401, get("/api/meters/m1/status-history", false).statusCode(), "tokens apply");
    }

    private void assertRefused(String path, int status, String code) throws Exception {
        HttpResponse<String> r = get(path, true);
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        JsonObject e = json(r);
        assertEquals(code, e.getString("error"), r.body());
        assertTrue(e.getString("message").length() > 10, r.body());
    }
}
