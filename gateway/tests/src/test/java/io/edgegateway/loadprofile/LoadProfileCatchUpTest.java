package io.edgegateway.loadprofile;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.dlms.cosem.BufferSelection;
import io.edgegateway.dlms.cosem.LoadProfile;
import io.edgegateway.dlms.cosem.ProfileRow;
import io.edgegateway.point.PointValue;
import io.edgegateway.poll.TaskStats;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.testing.HandClock;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Catch-up end to end: a gateway reads a simulated DLMS meter's load profile and event log into its store, is
 * stopped for two hours of the meter's (and the gateway's) time, and started again. The stored rows are then
 * exactly the meter's rows, none missing and none twice, as the HES reads them over HTTP; the ones a meter sends
 * twice or stamps in the future are counted and not stored. Meter and gateway share a clock the test moves.
 */
@Timeout(120)
class LoadProfileCatchUpTest {

    private static final String METER = "62124022447";
    private static final String LP = "1.0.99.1.0.255";
    private static final String EVENTS = "0.0.99.98.0.255";
    private static final Instant START = Instant.parse("2026-11-03T10:07:00Z");

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock(START);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private DlmsSimulator sim;
    private Gateway gateway;

    @BeforeEach
    void setUp() throws Exception {
        // A meter on CET (deviation -60): ranges are asked, and rows sent, in its local time.
        sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0).serialNumber(METER).clock(clock)
                .deviation(-60).build().start();
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        sim.close();
    }

    private Gateway start() throws Exception {
        gateway = Gateway.start(ConfigLoader.loadYaml("""
                server: {port: 0}
                state-dir: "%s"
                storage: {commit-interval: 100ms}
                buses: [{name: lan, type: dlms-tcp, host: 127.0.0.1, port: %d, timeout: 5s}]
                devices:
                  - meter-no: "%s"
                    bus: lan
                    profile: dlms-standard
                    interval: 1s
                    dlms: {client: 16, authentication: none}
                    load-profiles:
                      - {obis: %s, every: 15m, backfill: 3d}
                      - {obis: %s, every: 1h, backfill: 7d}
                    clock: {check: 1h}
                """.formatted(dir, sim.port(), METER, LP, EVENTS), "catch-up.yaml", dir),
                new ProtocolConnector(), clock);
        return gateway;
    }

    /** Waits until every line task ran to the end (a catch-up in chunks ends with caughtUpAt). */
    private Map<String, TaskStats> caughtUp(Instant at) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<TaskStats> tasks = gateway.stats().getFirst().devices().getFirst().tasks();
            boolean done = tasks.stream().allMatch(t -> t.name().equals("clock") ? t.lastRun() != null
                    : at.equals(t.details().get("caughtUpAt")));
            if (done) {
                gateway.store().flush();
                Map<String, TaskStats> out = new java.util.HashMap<>();
                tasks.forEach(t -> out.put(t.name(), t));
                return out;
            }
            Thread.sleep(100);
        }
        fail("the line tasks did not catch up: " + gateway.stats().getFirst().devices().getFirst().tasks());
        return null;
    }

    private JsonObject get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    /** Every stored row of a profile, through the HTTP API page by page: capture time and import energy. */
    private List<String> stored(String profile, Instant from, Instant to) throws Exception {
        List<String> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = get("/api/meters/" + METER + "/load-profile/" + profile + "?from=" + from + "&to=" + to
                    + "&limit=50" + (cursor == null ? "" : "&cursor=" + cursor));
            for (JsonValue v : page.getJsonArray("rows")) {
                JsonObject row = v.asJsonObject();
                assertEquals(profile, row.getString("profile"));
                out.add(row.getString("timestamp") + " " + (row.containsKey("Import active energy")
                        ? row.getString("Import active energy") : row.getString("event")));
            }
            cursor = page.isNull("next") ? null : page.getString("next");
        } while (cursor != null);
        return out;
    }

    /** The meter's own rows in [from, to], read by a client of our own outside the gateway. */
    private List<String> meterRows(String profile, Instant from, Instant to) throws Exception {
        try (DlmsMeter m = new DlmsMeter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port())
                .responseTimeout(Duration.ofSeconds(5)).build())) {
            LoadProfile p = m.readProfile(ObisCode.parse(profile), BufferSelection.ByRange.ofClock(
                    CosemDateTime.of(from, -60, 0xFF), CosemDateTime.of(to, -60, 0xFF)));
            List<String> out = new ArrayList<>();
            int energy = profile.equals(LP) ? 2 : 1;
            Instant previous = null;
            for (ProfileRow r : p.rows()) {
                if (r.time().equals(previous) && profile.equals(LP)) {
                    continue; // a row the meter holds twice is one interval
                }
                previous = r.time();
                PointValue v = r.values().get(energy);
                String shown = profile.equals(LP) ? ((PointValue.Number) v).value().toPlainString() + " "
                        + p.columns().get(energy).unitSymbol()
                        : io.edgegateway.dlms.cosem.StandardEvent.name(((PointValue.Number) v).value().intValue())
                                .orElse("manufacturer-specific");
                out.add(io.edgegateway.reading.ReadingJson.timestamp(r.time()) + " " + shown);
            }
            return out;
        }
    }

    @Test
    void aRestartAfterTwoHoursFetchesExactlyTheMissedIntervalsAndStoresNoneTwice() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        start();
        Thread stream = sse(events);
        Map<String, TaskStats> first = caughtUp(START);
        // Three days: three requests of a day and the last one to now, rows at their edges read once.
        Instant dayAgo = START.minus(Duration.ofDays(3));
        List<String> lp = stored(LP, dayAgo.minusSeconds(1), START.plusSeconds(1));
        assertEquals(meterRows(LP, dayAgo, START), lp, "the first run stores the backfill, as the meter has it");
        assertEquals(3 * 96, lp.size(), "three days of 15-minute intervals");
        assertEquals(meterRows(EVENTS, START.minus(Duration.ofDays(7)), START),
                stored(EVENTS, START.minus(Duration.ofDays(7)).minusSeconds(1), START.plusSeconds(1)));
        assertEquals(3 * 96L, first.get("load profile " + LP).details().get("rowsStored"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.stream().noneMatch(e -> e.contains("\"profile\":\"" + LP + "\""))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(events.stream().anyMatch(e -> e.startsWith("interval-data {\"meterNo\":\"" + METER
                + "\",\"timestamp\":") && e.contains("\"profile\":\"" + LP + "\"")), "streamed as interval-data");
        stream.interrupt();
        gateway.close();
        gateway = null;

        // Two hours pass with the gateway down; the meter captures 8 intervals, and holds one of them twice.
        clock.advance(Duration.ofHours(2));
        Instant later = START.plus(Duration.ofHours(2));
        sim.faults().duplicateRow(Instant.parse("2026-11-03T11:00:00Z"));
        start();
        Map<String, TaskStats> second = caughtUp(later);
        List<String> all = stored(LP, dayAgo.minusSeconds(1), later.plusSeconds(1));
        assertEquals(meterRows(LP, dayAgo, later), all, "none missing, none twice");
        assertEquals(3 * 96 + 8, all.size());
        Map<String, Object> d = second.get("load profile " + LP).details();
        assertEquals(8L, d.get("rowsStored"), d.toString());
        assertEquals(1L, d.get("rowsAlreadyStored"), "the range starts at the last stored row: " + d);
        assertEquals(1L, d.get("duplicateRows"), d.toString());
        assertEquals(0L, d.get("missingIntervals"), d.toString());

        // The meter's clock jumps 40 minutes ahead: the rows it stamps in the future are counted, not stored.
        gateway.close();
        gateway = null;
        sim.faults().clockJump(Duration.ofMinutes(40));
        clock.advance(Duration.ofMinutes(20));
        Instant jumped = later.plus(Duration.ofMinutes(20));
        start();
        Map<String, TaskStats> third = caughtUp(jumped);
        Map<String, Object> j = third.get("load profile " + LP).details();
        // The meter's clock skipped 12:15 to 12:45 (a jump captures nothing in between) and stamped 13:00 at 12:27.
        assertEquals(1L, j.get("futureRows"), "the row stamped 13:00 at 12:27: " + j);
        assertEquals(0L, j.get("rowsStored"), j.toString());
        List<String> now = stored(LP, dayAgo.minusSeconds(1), jumped.plus(Duration.ofHours(2)));
        assertTrue(now.stream().allMatch(r -> Instant.parse(r.split(" ")[0]).isBefore(jumped.plusSeconds(121))),
                "nothing stored in the future: " + now.subList(Math.max(0, now.size() - 4), now.size()));
        assertTrue(((Number) third.get("clock").details().get("driftSeconds")).doubleValue() > 2300,
                "the clock's drift shows: " + third.get("clock").details());
    }

    @Test
    void theLoadProfileApiRefusesWhatItCannotServe() throws Exception {
        start();
        caughtUp(START);
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/api/meters/" + METER + "/load-profile/1.0.99.2.0.255")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown-profile"), unknown.body());
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/api/meters/" + METER + "/load-profile/1.0.99")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("bad-obis"), bad.body());
        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/api/meters/" + METER + "/load-profile/" + LP + "?format=csv&from="
                + START.minus(Duration.ofHours(1)) + "&to=" + START)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csv.statusCode(), csv.body());
        List<String> lines = csv.body().lines().toList();
        assertTrue(lines.getFirst().startsWith("timestamp,0.0.96.10.1.255,Import active energy [Wh]"),
                lines.getFirst());
        assertEquals(5, lines.size(), "a header and four quarter hours: " + lines);
    }

    /** Collects "event data" lines of /api/sse/meters. */
    private Thread sse(List<String> into) {
        return Thread.ofVirtual().start(() -> {
            try {
                HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + gateway.port() + "/api/sse/meters")).build(), HttpResponse.BodyHandlers.ofLines());
                String[] event = {"message"};
                r.body().forEach(line -> {
                    if (line.startsWith("event: ")) {
                        event[0] = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        into.add(event[0] + " " + line.substring(6));
                    } else if (line.isEmpty()) {
                        event[0] = "message";
                    }
                });
            } catch (Exception e) {
                // the gateway stopped
            }
        });
    }
}
