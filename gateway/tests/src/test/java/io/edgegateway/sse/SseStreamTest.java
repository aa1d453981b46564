package io.edgegateway.sse;

import io.edgegateway.app.ApiHarness;
import io.edgegateway.reading.MeterStatus;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSE contract of docs/api.md, seen by a real HTTP client against the real server. */
class SseStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private ApiHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    @Test
    void meterStreamSendsConnectedThenSnapshotThenChangesInTheDocumentedFormat() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters("sse: {heartbeat: 30s}\n"));
        Instant t = Instant.parse("2025-12-15T15:42:58.080Z");
        gw.status("m1", MeterStatus.CONNECTED, t);
        gw.reading("m1", t, Map.of("L1 Voltage", "230.49", "Frequency", "50.1", "Total absolute cumulative active energy register", "1456.78"));

        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"), Map.of())) {
            assertEquals(200, c.status());
            assertEquals("text/event-stream", c.response().headers().firstValue("Content-Type").orElse(""));
            assertEquals("no-cache", c.response().headers().firstValue("Cache-Control").orElse(""));
            assertEquals("no", c.response().headers().firstValue("X-Accel-Buffering").orElse(""));

            SseTestClient.Event connected = c.next(WAIT);
            assertEquals("connected", connected.event(), "the first event of every stream");
            assertNotNull(connected.id());
            assertEquals("5000", c.retry(), "EventSource is told how long to wait before reconnecting");

            // Snapshot: status of both meters, the reading of m1.
            List<SseTestClient.Event> snapshot = c.drain(Duration.ofMillis(500));
            assertEquals(3, snapshot.size(), snapshot.toString());
            SseTestClient.Event status = snapshot.stream().filter(e -> e.event().equals("meter-status")
                    && e.data().contains("\"m1\"")).findFirst().orElseThrow();
            assertEquals("{\"meterNo\":\"m1\",\"lastSeen\":\"2025-12-15T15:42:58.080Z\",\"status\":\"CONNECTED\"}", status.data());
            SseTestClient.Event data = snapshot.stream().filter(e -> e.event().equals("data")).findFirst().orElseThrow();
            assertEquals("{\"meterNo\":\"m1\",\"timestamp\":\"2025-12-15T15:42:58.080Z\",\"L1 Voltage\":\"230.5 V\","
                    + "\"Frequency\":\"50.1 Hz\",\"Total absolute cumulative active energy register\":\"1456.78 kWh\"}", data.data());
            SseTestClient.Event never = snapshot.stream().filter(e -> e.data().contains("\"m2\"")).findFirst().orElseThrow();
            assertEquals("{\"meterNo\":\"m2\",\"lastSeen\":null,\"status\":\"DISCONNECTED\"}", never.data());

            // A change arrives as one data event with a newer id.
            gw.reading("m1", t.plusSeconds(1), Map.of("L1 Voltage", "231.7"));
            SseTestClient.Event change = c.next("data", WAIT);
            assertTrue(Long.parseLong(change.id()) > Long.parseLong(connected.id()));
            JsonObject j = json(change.data());
            assertEquals("231.7 V", j.getString("L1 Voltage"));
            assertEquals("50.1 Hz", j.getString("Frequency"), "the whole row is sent, not just the changed point");
            assertEquals("2025-12-15T15:42:59.080Z", j.getString("timestamp"));
        }
    }

    @Test
    void constantValuesSendNothingAndAChangeSendsExactlyOneEvent() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        Instant t = Instant.now();
        gw.reading("m1", t, Map.of("L1 Voltage", "230.0", "Frequency", "50.0"));
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/real-time-data/m1"), Map.of())) {
            assertEquals("connected", c.next(WAIT).event());
            SseTestClient.Event snap = c.next(WAIT);
            assertEquals("message", snap.event(), "real-time-data events are unnamed, for EventSource.onmessage");
            for (int i = 1; i <= 5; i++) {
                gw.reading("m1", t.plusSeconds(i), Map.of("L1 Voltage", "230.0", "Frequency", "50.0"));
            }
            // Within the deadband (0.5 V): still nothing.
            gw.reading("m1", t.plusSeconds(6), Map.of("L1 Voltage", "230.4", "Frequency", "50.0"));
            assertEquals(List.of(), c.drain(Duration.ofMillis(400)));
            gw.reading("m1", t.plusSeconds(7), Map.of("L1 Voltage", "231.0", "Frequency", "50.0"));
            List<SseTestClient.Event> got = c.drain(Duration.ofMillis(400));
            assertEquals(1, got.size(), got.toString());
            assertEquals("231.0 V", json(got.get(0).data()).getString("L1 Voltage"));
            // Status changes do not go to the real-time-data stream.
            gw.status("m1", MeterStatus.ERROR, t);
            assertEquals(List.of(), c.drain(Duration.ofMillis(300)));
        }
    }

    @Test
    void changesOnlySendsTheWholeRowFirstThenOnlyChangedKeysAgainAfterAResume() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        Instant t = Instant.parse("2025-12-15T15:42:58.080Z");
        gw.reading("m1", t, Map.of("L1 Voltage", "230.0", "Frequency", "50.0"));
        String lastId;
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?changes=only"), Map.of())) {
            c.next(WAIT);
            SseTestClient.Event row = c.next("data", WAIT);
            assertEquals("{\"meterNo\":\"m1\",\"timestamp\":\"2025-12-15T15:42:58.080Z\",\"L1 Voltage\":\"230.0 V\","
                    + "\"Frequency\":\"50.0 Hz\"}", row.data(), "the snapshot is the whole row");
            gw.reading("m1", t.plusSeconds(1), Map.of("L1 Voltage", "232.0", "Frequency", "50.0"));
            assertEquals("{\"meterNo\":\"m1\",\"timestamp\":\"2025-12-15T15:42:59.080Z\",\"L1 Voltage\":\"232.0 V\"}",
                    c.next("data", WAIT).data());
            // A meter first heard of after connecting starts with its whole row too.
            gw.reading("m2", t.plusSeconds(1), Map.of("L1 Voltage", "240.0", "Frequency", "49.9"));
            assertTrue(json(c.next("data", WAIT).data()).containsKey("Frequency"));
            gw.reading("m2", t.plusSeconds(2), Map.of("L1 Voltage", "240.0", "Frequency", "50.2"));
            SseTestClient.Event m2 = c.next("data", WAIT);
            assertEquals(Set.of("meterNo", "timestamp", "Frequency"), json(m2.data()).keySet());
            lastId = m2.id();
        }
        gw.reading("m1", t.plusSeconds(3), Map.of("L1 Voltage", "234.0", "Frequency", "50.0"));
        gw.reading("m1", t.plusSeconds(4), Map.of("L1 Voltage", "234.0", "Frequency", "50.3"));
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?changes=only&format=typed"),
                Map.of("Last-Event-ID", lastId))) {
            assertTrue(c.next(WAIT).data().contains("\"resume\":\"resumed\""));
            List<SseTestClient.Event> missed = c.drain(Duration.ofMillis(400));
            assertEquals(2, missed.size(), missed.toString());
            // After a resume the client may hold nothing: its first reading of the meter is whole again.
            JsonObject whole = json(missed.get(0).data()).getJsonObject("values");
            assertEquals(Set.of("L1 Voltage", "Frequency"), whole.keySet());
            assertEquals(234.0, whole.getJsonObject("L1 Voltage").getJsonNumber("value").doubleValue());
            assertEquals(Set.of("Frequency"), json(missed.get(1).data()).getJsonObject("values").keySet());
        }
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?changes=some"), Map.of())) {
            assertEquals(400, c.status());
            assertTrue(c.refusal().contains("bad-changes"), c.refusal());
        }
    }

    @Test
    void heartbeatsComeAtTheConfiguredIntervalWithAnId() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters("sse: {heartbeat: 1s}\n"));
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meter-status/m2"), Map.of())) {
            SseTestClient.Event connected = c.next(WAIT);
            SseTestClient.Event h1 = c.next("heartbeat", WAIT);
            SseTestClient.Event h2 = c.next("heartbeat", WAIT);
            assertNotNull(h1);
            assertNotNull(h2);
            double gap = (h2.receivedNanos() - h1.receivedNanos()) / 1e9;
            assertTrue(gap > 0.7 && gap < 1.5, "heartbeats about 1 s apart, got " + gap);
            assertEquals(connected.id(), h1.id(), "nothing happened, so the heartbeat carries the same position");
            assertTrue(json(h1.data()).getString("timestamp").endsWith("Z"));
        }
    }

    @Test
    void resumeWithLastEventIdLosesAndRepeatsNothing() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        Instant t = Instant.now();
        String lastId;
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?meters=m1"), Map.of())) {
            c.next(WAIT);
            c.drain(Duration.ofMillis(200)); // snapshot (status of m1)
            gw.reading("m1", t, Map.of("L1 Voltage", "230.0"));
            lastId = c.next("data", WAIT).id();
        }
        // While away: three changes of m1, one of m2 (filtered out for this client).
        gw.reading("m1", t.plusSeconds(1), Map.of("L1 Voltage", "231.0"));
        gw.reading("m2", t.plusSeconds(1), Map.of("L1 Voltage", "240.0"));
        gw.reading("m1", t.plusSeconds(2), Map.of("L1 Voltage", "232.0"));
        gw.status("m1", MeterStatus.ERROR, t);
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?meters=m1"),
                Map.of("Last-Event-ID", lastId))) {
            SseTestClient.Event connected = c.next(WAIT);
            assertTrue(connected.data().contains("\"resume\":\"resumed\""), connected.data());
            assertEquals(lastId, connected.id(), "dropping right after connected must not skip the missed events");
            List<SseTestClient.Event> missed = c.drain(Duration.ofMillis(400));
            assertEquals(List.of("data", "data", "meter-status"), missed.stream().map(SseTestClient.Event::event).toList());
            assertEquals("231.0 V", json(missed.get(0).data()).getString("L1 Voltage"));
            assertEquals("232.0 V", json(missed.get(1).data()).getString("L1 Voltage"));
            assertTrue(Long.parseLong(missed.get(0).id()) > Long.parseLong(lastId));
            // And then live, with nothing repeated.
            gw.reading("m1", t.plusSeconds(3), Map.of("L1 Voltage", "233.0"));
            List<SseTestClient.Event> live = c.drain(Duration.ofMillis(400));
            assertEquals(1, live.size(), live.toString());
            assertEquals("233.0 V", json(live.get(0).data()).getString("L1 Voltage"));
        }
        // The query form serves a page's first connect.
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?meters=m1&lastEventId=" + lastId), Map.of())) {
            assertTrue(c.next(WAIT).data().contains("\"resume\":\"resumed\""));
            assertEquals(4, c.drain(Duration.ofMillis(400)).size());
        }
    }

    @Test
    void aGapOlderThanTheBufferIsSignalledAndAFreshSnapshotFollows() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters("sse: {replay-size: 3}\n"));
        Instant t = Instant.now();
        gw.reading("m1", t, Map.of("L1 Voltage", "200.0"));
        long early = gw.hub.lastId();
        for (int i = 1; i <= 5; i++) {
            gw.reading("m1", t.plusSeconds(i), Map.of("L1 Voltage", String.valueOf(200 + 10 * i)));
        }
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?meters=m1"),
                Map.of("Last-Event-ID", String.valueOf(early)))) {
            assertTrue(c.next(WAIT).data().contains("\"resume\":\"gap\""));
            SseTestClient.Event gap = c.next(WAIT);
            assertEquals("error", gap.event());
            assertEquals("replay-gap", json(gap.data()).getString("code"));
            List<SseTestClient.Event> snapshot = c.drain(Duration.ofMillis(300));
            assertEquals("250.0 V", json(snapshot.stream().filter(e -> e.event().equals("data")).findFirst()
                    .orElseThrow().data()).getString("L1 Voltage"), "the latest state, not the missed history");
        }
        // An id from the future (another gateway run) is also a gap, not a silent hang.
        try (SseTestClient c = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"), Map.of("Last-Event-ID", "99999999"))) {
            assertTrue(c.next(WAIT).data().contains("\"resume\":\"gap\""));
        }
    }

    @Test
    void pointAndMeterFiltersAndTheTypedFormat() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        Instant t = Instant.now();
        try (SseTestClient c = SseTestClient.open(gw.http,
                gw.uri("/api/sse/meters?meters=m1&points=L1%20Voltage,Frequency&format=typed"), Map.of())) {
            c.next(WAIT);
            c.drain(Duration.ofMillis(200));
            gw.reading("m1", t, Map.of("L1 Voltage", "230.0", "Frequency", "50.0", "L1 Current", "5.0"));
            JsonObject first = json(c.next("data", WAIT).data());
            assertEquals(Json.createReader(new StringReader("{\"value\":230.0,\"unit\":\"V\"}")).readObject(),
                    first.getJsonObject("values").getJsonObject("L1 Voltage"));
            assertEquals(2, first.getJsonObject("values").size(), "only the chosen points");
            // Only a current change: no event for this client.
            gw.reading("m1", t.plusSeconds(1), Map.of("L1 Current", "9.0"));
            gw.reading("m2", t.plusSeconds(1), Map.of("L1 Voltage", "250.0"));
            assertEquals(List.of(), c.drain(Duration.ofMillis(400)));
        }
    }

    @Test
    void refusalsComeAsJsonBeforeAnyStream() throws Exception {
        // A client that leaves is noticed at the next write, so a short heartbeat frees its slot quickly.
        gw = new ApiHarness(ApiHarness.twoMeters("sse: {max-clients: 1, heartbeat: 1s}\n"));
        try (SseTestClient missing = SseTestClient.open(gw.http, gw.uri("/api/sse/real-time-data/nope"), Map.of())) {
            assertEquals(404, missing.status());
            assertEquals("application/json", missing.response().headers().firstValue("Content-Type").orElse(""));
            assertEquals("unknown-meter", json(missing.refusal()).getString("error"));
        }
        try (SseTestClient badPoint = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?points=Nope"), Map.of())) {
            assertEquals(400, badPoint.status());
        }
        try (SseTestClient first = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"), Map.of())) {
            assertEquals("connected", first.next(WAIT).event());
            try (SseTestClient second = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"), Map.of())) {
                assertEquals(503, second.status());
                assertEquals("5", second.response().headers().firstValue("Retry-After").orElse(""));
            }
        }
        // The slot is free again once the first client left.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (gw.clients.connected() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, gw.clients.connected(), "the slot is freed within a heartbeat");
        try (SseTestClient again = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"), Map.of())) {
            assertEquals(200, again.status());
        }
    }
}
