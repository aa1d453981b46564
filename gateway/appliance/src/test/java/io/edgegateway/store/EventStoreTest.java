package io.edgegateway.store;

import io.edgegateway.alert.AlertQuery;
import io.edgegateway.config.StorageConfig;
import io.edgegateway.hub.Attachment;
import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.EventLog;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.hub.Subscriber;
import io.edgegateway.hub.SubscriptionFilter;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.reading.Alert;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.ProfileEntry;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.reading.StatusReport;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store on a real SQLite file: what the hub published comes back exactly, across restarts and migrations. */
class EventStoreTest {

    private static final Point VOLTS = new Point("L1 Voltage", ModbusAddress.of(Table.INPUT, 0, DataType.FLOAT32),
            Scaling.NONE, 1, "V", new BigDecimal("0.5"), Map.of(), "", "");
    private static final Point ENERGY = new Point("Energy", ModbusAddress.of(Table.INPUT, 2, DataType.FLOAT32),
            Scaling.NONE, 2, "kWh", BigDecimal.ZERO, Map.of(), "", "");
    private static final Point MODE = new Point("Mode", ModbusAddress.of(Table.HOLDING, 9, DataType.UINT16),
            Scaling.NONE, 0, "", BigDecimal.ZERO, Map.of(0L, "OFF", 1L, "AUTO"), "", "");
    private static final Point NAME = new Point("Tag", ModbusAddress.of(Table.HOLDING, 10, DataType.UINT16),
            Scaling.NONE, 0, "", BigDecimal.ZERO, Map.of(), "", "");
    private static final List<Point> POINTS = List.of(VOLTS, ENERGY, MODE, NAME);
    private static final SubscriptionFilter ALL = new SubscriptionFilter(Set.of(), Set.of(), true, true);

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    private StorageConfig config(Duration commit) {
        return new StorageConfig(true, dir.resolve("readings.db"), commit, StorageConfig.Sync.NORMAL, Duration.ofDays(30),
                1_000_000_000L);
    }

    private EventStore open(Duration commit) {
        return EventStore.open(config(commit), Map.of("m1", POINTS, "m2", POINTS), clock);
    }

    private static Reading reading(String meter, Instant t, String volts, String kwh, int mode) {
        Map<Point, PointValue> v = new LinkedHashMap<>();
        v.put(VOLTS, new PointValue.Number(new BigDecimal(volts)));
        v.put(ENERGY, new PointValue.Number(new BigDecimal(kwh)));
        v.put(MODE, new PointValue.Number(BigDecimal.valueOf(mode)));
        v.put(NAME, new PointValue.Text("TANK, \"west\""));
        return Reading.of(meter, t, v);
    }

    /** Publishes 150 readings of two meters (more than two full-reading periods) and some status changes. */
    private static List<HubEvent> publish(EventHub hub, Instant t0) {
        List<HubEvent> out = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Instant t = t0.plusSeconds(i);
            hub.publishReading(reading("m1", t, String.valueOf(220 + i % 17), "100." + (i % 100), i % 2))
                    .ifPresent(out::add);
            hub.publishReading(reading("m2", t, String.valueOf(230 + i % 3), "200." + i % 7, 0)).ifPresent(out::add);
            if (i % 40 == 0) {
                hub.publishStatus(new StatusReport("m1", i % 80 == 0 ? MeterStatus.CONNECTED : MeterStatus.ERROR, t,
                        "why " + i)).ifPresent(out::add);
            }
        }
        return out;
    }

    private static String json(HubEvent e) {
        return switch (e) {
            case HubEvent.Data d -> d.id() + " " + ReadingJson.reading(d.reading(), Set.of()) + " "
                    + ReadingJson.typed(d.reading(), Set.of()) + " " + new java.util.TreeSet<>(d.changed());
            case HubEvent.Status s -> s.id() + " " + ReadingJson.status(s.report()) + " " + s.report().detail();
            case HubEvent.Interval i -> i.id() + " " + ReadingJson.profileEntry(i.entry(), false, null, null) + " #"
                    + i.entry().ordinal();
            case HubEvent.AlertState a -> a.id() + " " + a.alert().json();
        };
    }

    /** A reading event as id, its two JSON forms as objects (key order aside) and its changed names. */
    private static List<Object> unordered(HubEvent e) {
        HubEvent.Data d = (HubEvent.Data) e;
        return List.of(d.id(), parse(ReadingJson.reading(d.reading(), Set.of())),
                parse(ReadingJson.typed(d.reading(), Set.of())), new java.util.TreeSet<>(d.changed()));
    }

    private static JsonObject parse(String json) {
        try (var r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }

    private static List<String> replay(EventLog log, long after, long upTo, SubscriptionFilter f) throws IOException {
        return replay(log, after, upTo, f, EventStoreTest::json, gap -> gap);
    }

    /** What the log replays, each event as {@code event} makes it and each gap as {@code gap} makes its text. */
    private static <T> List<T> replay(EventLog log, long after, long upTo, SubscriptionFilter f,
                                      Function<HubEvent, T> event, Function<String, T> gap) throws IOException {
        List<T> got = new ArrayList<>();
        log.replay(after, upTo, f, new EventLog.Replay() {
            @Override
            public void event(HubEvent e) {
                got.add(event.apply(e));
            }

            @Override
            public void gap(long fromId, long toId, String why) {
                got.add(gap.apply("gap " + fromId + ".." + toId + " " + why));
            }
        });
        return got;
    }

    @Test
    void everyPublishedEventComesBackExactlyAsTheHubPublishedIt() throws Exception {
        EventStore store = open(Duration.ofMillis(50));
        long first = store.startRun(1000);
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, first, store);
        List<HubEvent> published = publish(hub, clock.instant());
        assertTrue(published.size() > 200, "enough events for several full readings per meter");
        List<String> replayed = replay(store, first - 1, hub.lastId(), ALL);
        assertEquals(published.stream().map(EventStoreTest::json).toList(), replayed);
        // From the middle, and for one meter: rebuilt from the last full reading before it.
        long mid = published.get(150).id();
        List<String> m2 = replay(store, mid, hub.lastId(), new SubscriptionFilter(Set.of("m2"), Set.of(), true, false));
        assertEquals(published.stream().filter(e -> e.id() > mid && e.meterNo().equals("m2")
                && e instanceof HubEvent.Data).map(EventStoreTest::json).toList(), m2);
        store.close(hub.lastId());
    }

    @Test
    void twoInstancesOfOnePointShareWhatWasStoredOfIt() throws Exception {
        // A reloaded profile makes new Point instances of the same rendering, so the same id. Had each instance
        // kept its own last stored value, the third reading's 230 V would match the first's and be left out of
        // the delta, and the rebuilt reading would say 231 V.
        Point voltsAgain = new Point(VOLTS.name(), VOLTS.address(), VOLTS.scaling(), VOLTS.decimals(), VOLTS.unit(),
                VOLTS.deadband(), VOLTS.labels(), VOLTS.group(), VOLTS.quantity());
        EventStore store = open(Duration.ofMillis(50));
        long first = store.startRun(1000);
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, first, store);
        List<HubEvent> published = new ArrayList<>();
        Instant t = clock.instant();
        String[] volts = {"230", "231", "230", "231"};
        for (int i = 0; i < volts.length; i++) {
            Map<Point, PointValue> v = new LinkedHashMap<>();
            v.put(i % 2 == 0 ? VOLTS : voltsAgain, new PointValue.Number(new BigDecimal(volts[i])));
            v.put(ENERGY, new PointValue.Number(new BigDecimal("100.25")));
            hub.publishReading(Reading.of("m1", t.plusSeconds(i), v)).ifPresent(published::add);
        }
        assertEquals(volts.length, published.size(), "every reading changed the voltage");
        assertEquals(published.stream().map(EventStoreTest::json).toList(),
                replay(store, first - 1, hub.lastId(), ALL));
        store.close(hub.lastId());
    }

    @Test
    void readingsOverALayoutAndOverAReloadedOneComeBackExactly() throws Exception {
        // Readings as the scheduler makes them, over the device's layout. A reloaded profile moves points and makes
        // new instances of them; values must still land under their own point, and a voltage back at 230 after
        // 231 (stored through the other instance) must be written.
        Point voltsAgain = new Point(VOLTS.name(), VOLTS.address(), VOLTS.scaling(), VOLTS.decimals(), VOLTS.unit(),
                VOLTS.deadband(), VOLTS.labels(), VOLTS.group(), VOLTS.quantity());
        Point energyAgain = new Point(ENERGY.name(), ENERGY.address(), ENERGY.scaling(), ENERGY.decimals(),
                ENERGY.unit(), ENERGY.deadband(), ENERGY.labels(), ENERGY.group(), ENERGY.quantity());
        Reading.Layout first = new Reading.Layout(POINTS);
        Reading.Layout reloaded = new Reading.Layout(List.of(NAME, energyAgain, MODE, voltsAgain)); // a new order
        EventStore store = open(Duration.ofMillis(50));
        long start = store.startRun(1000);
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, start, store);
        List<HubEvent> published = new ArrayList<>();
        Instant t = clock.instant();
        String[] volts = {"230", "231", "230", "231", "230", "232", "230"};
        for (int i = 0; i < 150; i++) {
            boolean again = i % 7 == 1 || i % 7 == 3 || i % 7 == 5;
            Map<Point, PointValue> v = new LinkedHashMap<>();
            v.put(again ? voltsAgain : VOLTS, new PointValue.Number(new BigDecimal(volts[i % 7])));
            v.put(again ? energyAgain : ENERGY, new PointValue.Number(new BigDecimal("100." + i / 3 % 10)));
            v.put(MODE, new PointValue.Number(BigDecimal.valueOf(i / 5 % 2)));
            v.put(NAME, new PointValue.Text(i % 11 == 0 ? "east" : "west"));
            Reading r = i % 13 == 12 ? Reading.of("m1", t.plusSeconds(i), v) // now and then one built from a map
                    : Reading.of("m1", t.plusSeconds(i), again ? reloaded : first, v);
            hub.publishReading(r).ifPresent(published::add);
        }
        assertTrue(published.size() > 100, "most readings changed something");
        // Keys compared as sets: a rebuilt reading lists its points in the order the store first met them.
        assertEquals(published.stream().map(EventStoreTest::unordered).toList(),
                replay(store, start - 1, hub.lastId(), ALL, EventStoreTest::unordered, List::<Object>of));
        long mid = published.get(published.size() / 2).id();
        assertEquals(published.stream().filter(e -> e.id() > mid).map(EventStoreTest::unordered).toList(),
                replay(store, mid, hub.lastId(), ALL, EventStoreTest::unordered, List::<Object>of),
                "rebuilt from the last full reading before the middle");
        store.close(hub.lastId());
    }

    @Test
    void aResumeBeyondTheReplayBufferIsServedFromTheStoreThenTheBuffer() throws Exception {
        EventStore store = open(Duration.ofMillis(50));
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        List<HubEvent> published = publish(hub, clock.instant());
        long from = published.get(20).id();
        Attachment a = hub.subscribe(ALL, OptionalLong.of(from), e -> true);
        assertEquals(Attachment.Resume.RESUMED, a.resume());
        assertNotNull(a.logged(), "the buffer of 10 does not reach back 20 events");
        List<String> got = replay(a.logged().log(), a.logged().afterId(), a.logged().upToId(), ALL);
        a.backlog().forEach(e -> got.add(json(e)));
        assertEquals(published.stream().filter(e -> e.id() > from).map(EventStoreTest::json).toList(), got,
                "every event after the id, in order, none twice");
        store.close(hub.lastId());
    }

    @Test
    void aRestartContinuesIdsRestoresTheLastReadingAndResumesAcrossIt() throws Exception {
        EventStore store = open(Duration.ofMillis(50));
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        List<HubEvent> before = publish(hub, clock.instant());
        store.close(hub.lastId());

        EventStore again = open(Duration.ofMillis(50));
        long first = again.startRun(500); // the clock went back: ids must still grow
        assertTrue(first > hub.lastId(), "ids keep growing: " + first + " after " + hub.lastId());
        Map<String, Reading> latest = again.latestReadings();
        HubEvent lastM1 = before.stream().filter(e -> e.meterNo().equals("m1") && e instanceof HubEvent.Data)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(ReadingJson.reading(((HubEvent.Data) lastM1).reading(), Set.of()),
                ReadingJson.reading(latest.get("m1"), Set.of()));
        EventHub hub2 = new EventHub(List.of("m1", "m2"), 10, first, again);
        latest.values().forEach(hub2::restore);
        assertTrue(hub2.publishReading(reading("m1", clock.instant().plusSeconds(500), "250", "1.00", 1)).isPresent());
        long from = before.get(before.size() - 3).id();
        List<String> got = replay(again, from, hub2.lastId(), ALL);
        assertEquals(3, got.size(), "two events of the first run, none lost at a clean stop, then the new one: " + got);
        again.close(hub2.lastId());
    }

    @Test
    void aRunThatDidNotStopCleanlyLeavesAGapAResumeIsToldOf() throws Exception {
        EventStore store = open(Duration.ofMillis(50));
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        List<HubEvent> published = publish(hub, clock.instant());
        store.flush();
        long saved = store.health().committedId();
        // As after kill -9: the run row is not marked clean (the file is simply left as it is).
        EventStore again = open(Duration.ofMillis(50));
        long first = again.startRun(1000);
        List<String> got = replay(again, published.get(5).id(), first - 1, ALL);
        assertTrue(got.getLast().startsWith("gap " + (saved + 1) + ".." + (first - 1)), got.getLast());
        assertTrue(got.getLast().contains("killed or a power cut"), got.getLast());
        again.close(first - 1);
        store.close(hub.lastId());
    }

    @Test
    void readingTheAlertRowsWaitsForTheLastAlertEventOnlyNotForReadingsQueuedSince() throws Exception {
        EventStore store = open(Duration.ofSeconds(30)); // no commit comes by the interval during this test
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        hub.publishAlert(new Alert("a1", "over", "m1", "L1 Voltage", Json.createValue(254), Alert.Severity.CRITICAL,
                Alert.State.RAISED, clock.instant(), null));
        assertEquals("a1", store.occurrence("a1").orElseThrow().alertId(), "a raise just published is read back");
        long commits = store.health().commits();
        hub.publishReading(reading("m1", clock.instant(), "230", "1.00", 1));
        long t0 = System.nanoTime();
        assertEquals(1, store.find(new AlertQuery(true, null, null, null, 10)).size());
        assertTrue(store.occurrence("nope").isEmpty());
        assertEquals(commits, store.health().commits(), "the reading queued since is not forced to disk");
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos());
        assertTrue(store.health().committedId() < hub.lastId(), "the reading is still queued");
        store.close(hub.lastId());
    }

    @Test
    void committingEveryEventPutsItOnDiskBeforePublishReturns() throws Exception {
        EventStore store = open(Duration.ZERO);
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        hub.publishReading(reading("m1", clock.instant(), "230", "1.00", 1));
        assertEquals(hub.lastId(), store.health().committedId());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("readings.db"));
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM event")) {
            r.next();
            assertEquals(1, r.getInt(1), "another connection (another process) sees it");
        }
        store.close(hub.lastId());
    }

    @Test
    void aFileOfTheFirstSchemaIsMigratedAndKeepsItsReadings() throws Exception {
        Path f = dir.resolve("readings.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement()) {
            for (String sql : Schema.MIGRATIONS.get(0)) {
                s.execute(sql);
            }
            s.execute("PRAGMA user_version = 1");
            s.execute("INSERT INTO meter (id, meter_no) VALUES (1, 'm1')");
            s.execute("INSERT INTO point (id, meter, name, unit, decimals, labels) VALUES (1, 1, 'L1 Voltage', 'V', 1, '')");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO event (id, meter, kind, ts, body) VALUES (?, 1, 2, ?, ?)")) {
                p.setLong(1, 7000);
                p.setLong(2, clock.millis() - 60_000);
                p.setBytes(3, ValueCodec.encode(List.of(new ValueCodec.Entry(1,
                        new PointValue.Number(new BigDecimal("231.4")), true))));
                p.executeUpdate();
            }
        }
        EventStore store = open(Duration.ofMillis(50));
        assertEquals(StoreHealth.State.OK, store.health().state(), String.valueOf(store.health().reason()));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f)) {
            assertEquals(Schema.VERSION, Schema.version(c));
        }
        assertEquals("{\"meterNo\":\"m1\",\"timestamp\":\"2026-12-01T09:59:00.000Z\",\"L1 Voltage\":\"231.4 V\"}",
                ReadingJson.reading(store.latestReadings().get("m1"), Set.of()));
        assertTrue(store.startRun(1) > 7000, "ids continue after the migrated ones");
        store.close(7000);
    }

    @Test
    void aCorruptFileIsMovedAsideAndANewOneStarted() throws Exception {
        Path f = dir.resolve("readings.db");
        Files.write(f, "this is not a database, this is a shopping list: milk, eggs, flour".repeat(200).getBytes());
        EventStore store = open(Duration.ofMillis(50));
        assertEquals(StoreHealth.State.OK, store.health().state(), String.valueOf(store.health().reason()));
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("readings.db.corrupt-")),
                    "the corrupt file is kept under a dated name");
        }
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1), store);
        hub.publishReading(reading("m1", clock.instant(), "230", "1.00", 1));
        store.flush();
        assertEquals(hub.lastId(), store.health().committedId(), "the new file takes readings");
        store.close(hub.lastId());
    }

    @Test
    void aTruncatedFileIsMovedAsideToo() throws Exception {
        EventStore store = open(Duration.ofMillis(10));
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        publish(hub, clock.instant());
        store.close(hub.lastId());
        Path f = dir.resolve("readings.db");
        long size = Files.size(f);
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        EventStore again = open(Duration.ofMillis(50));
        assertEquals(StoreHealth.State.OK, again.health().state(), String.valueOf(again.health().reason()));
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("readings.db.corrupt-")));
        }
        again.close(1);
    }

    @Test
    void historyPagesThroughReadingsAndBucketsAverageOverTime() throws Exception {
        EventStore store = open(Duration.ofMillis(10));
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        Instant t0 = Instant.parse("2026-12-01T08:00:00Z");
        // 230 V for 45 minutes, then 240 V for 15: the 1 h average is 232.5, not the 235 of a plain mean.
        hub.publishReading(reading("m1", t0, "230", "1.00", 0));
        hub.publishReading(reading("m1", t0.plus(Duration.ofMinutes(45)), "240", "1.00", 0));
        hub.publishReading(reading("m1", t0.plus(Duration.ofMinutes(60)), "240", "2.00", 0));
        store.flush();
        try (StoreReader r = store.reader()) {
            List<String> page = new ArrayList<>();
            var next = r.readings("m1", t0.toEpochMilli(), t0.plusSeconds(7200).toEpochMilli(),
                    StoreReader.Cursor.START, 2, (id, reading) -> page.add(ReadingJson.reading(reading, Set.of())));
            assertEquals(2, page.size());
            assertTrue(next.isPresent(), "a third reading waits on the next page");
            List<String> rest = new ArrayList<>();
            assertFalse(r.readings("m1", t0.toEpochMilli(), t0.plusSeconds(7200).toEpochMilli(), next.get(), 2,
                    (id, reading) -> rest.add(ReadingJson.reading(reading, Set.of()))).isPresent());
            assertEquals(1, rest.size());
            assertTrue(rest.getFirst().contains("\"Energy\":\"2.00 kWh\"") && rest.getFirst().contains("\"L1 Voltage\":\"240.0 V\""),
                    rest.getFirst());

            Map<Long, Buckets.Stats> hour = new LinkedHashMap<>();
            r.buckets("m1", t0.toEpochMilli(), t0.plusSeconds(7200).toEpochMilli(), 3_600_000, Long.MAX_VALUE,
                    "L1 Voltage"::equals, (start, stats) -> hour.put(start, stats.get("L1 Voltage")));
            Buckets.Stats first = hour.get(t0.toEpochMilli());
            assertEquals(232.5, first.avg(), 1e-9);
            assertEquals(230, first.min(), 1e-9);
            assertEquals(240, first.max(), 1e-9);
            assertEquals(240, first.last(), 1e-9);
            assertEquals(2, first.count(), "two values stored in the first hour");
            Buckets.Stats second = hour.get(t0.plusSeconds(3600).toEpochMilli());
            assertEquals(240, second.avg(), 1e-9, "the value carried in holds through the second hour");
        }
        store.close(hub.lastId());
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static long onDisk(Path db) {
        long n = 0;
        for (String suffix : List.of("", "-wal")) {
            Path f = db.resolveSibling(db.getFileName() + suffix);
            n += f.toFile().length();
        }
        return n;
    }

    @Test
    void aSteadyFeedKeepsFileAndLogUnderMaxSizeAndWhatIsKeptStillRebuildsWhole() throws Exception {
        long max = 4L * 1024 * 1024;
        StorageConfig c = new StorageConfig(true, dir.resolve("readings.db"), Duration.ofMillis(5),
                StorageConfig.Sync.NORMAL, Duration.ofDays(30), max);
        EventStore store = EventStore.open(c, Map.of("m1", POINTS, "m2", POINTS, "slow", POINTS), clock);
        EventHub hub = new EventHub(List.of("m1", "m2", "slow"), 10, store.startRun(1000), store);
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        long largest = 0;
        // About 30 MB of readings (a 400-character tag that changes every time), seven times max-size. Beside the
        // two fast meters, one polled a thousand times less often, whose energy never moves: its one full reading
        // is pruned long before the changes after it, which alone would rebuild without the energy.
        for (int i = 0; i < 60_000; i++) {
            boolean slow = i % 1000 == 999;
            Map<Point, PointValue> v = new LinkedHashMap<>();
            v.put(VOLTS, new PointValue.Number(BigDecimal.valueOf(2200 + random.nextInt(200), 1)));
            v.put(ENERGY, new PointValue.Number(BigDecimal.valueOf(slow ? 42 : i, 2)));
            v.put(MODE, new PointValue.Number(BigDecimal.valueOf(i % 2)));
            v.put(NAME, new PointValue.Text(Long.toHexString(random.nextLong()).repeat(25)));
            hub.publishReading(Reading.of(slow ? "slow" : i % 2 == 0 ? "m1" : "m2", clock.instant(), v));
            if (i % 50 == 49) {
                store.flush();
                largest = Math.max(largest, onDisk(c.path()));
            }
        }
        store.flush();
        StoreHealth h = store.health();
        assertEquals(StoreHealth.State.OK, h.state(), String.valueOf(h.reason()));
        assertTrue(largest <= max, "file and log stayed under max-size: the most seen was " + largest);
        assertTrue(h.oldestId() > 1000 + 30_000, "the oldest were pruned, oldest kept " + h.oldestId());
        List<String> kept = replay(store, 0, hub.lastId(), ALL);
        assertFalse(kept.isEmpty());
        assertFalse(kept.getFirst().startsWith("gap"), "pruned history is not a loss: " + kept.getFirst());
        for (String e : kept) {
            assertTrue(e.contains("\"L1 Voltage\"") && e.contains("\"Energy\"") && e.contains("\"Tag\""),
                    "every kept reading rebuilds with all its values: " + e.substring(0, Math.min(200, e.length())));
        }
        assertEquals(hub.lastId(), Long.parseLong(kept.getLast().split(" ")[0]), "the newest are all there");
        store.close(hub.lastId());
    }

    @Test
    void readingsOlderThanTheRetentionArePrunedAndTheRestKept() throws Exception {
        MovingClock moving = new MovingClock(Instant.parse("2026-11-01T00:00:00Z"));
        StorageConfig c = new StorageConfig(true, dir.resolve("readings.db"), Duration.ofMillis(5),
                StorageConfig.Sync.NORMAL, Duration.ofDays(30), 1_000_000_000L);
        EventStore store = EventStore.open(c, Map.of("m1", POINTS, "m2", POINTS), moving);
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        // A reading every 6 hours for 60 days.
        for (int i = 0; i < 240; i++) {
            hub.publishReading(reading("m1", moving.instant(), String.valueOf(220 + i % 17), "1." + i, i % 2));
            moving.advance(Duration.ofHours(6));
        }
        store.flush();
        store.pruneNow();
        Instant cut = moving.instant().minus(Duration.ofDays(30));
        try (StoreReader r = store.reader()) {
            List<Instant> kept = new ArrayList<>();
            r.readings("m1", 0, Long.MAX_VALUE, StoreReader.Cursor.START, 10_000,
                    (id, reading) -> kept.add(reading.timestamp()));
            // Kept: the last 30 days, and back to the full reading they are rebuilt from (at most 63 readings more).
            assertTrue(kept.getFirst().isAfter(cut.minus(Duration.ofHours(6 * 64))), "first kept " + kept.getFirst());
            assertTrue(kept.size() < 240, "older readings pruned: " + kept.size() + " kept");
            assertTrue(kept.size() >= 30 * 4, "the last 30 days are all there: " + kept.size());
            assertEquals(moving.instant().minus(Duration.ofHours(6)), kept.getLast());
        }
        store.close(hub.lastId());
    }

    /** Refusals are audited too: the trail keeps its newest rows only, however old (not by retention). */
    @Test
    void theAuditTrailKeepsItsNewestRowsOnly() throws Exception {
        StorageConfig c = new StorageConfig(true, dir.resolve("readings.db"), Duration.ofMillis(5),
                StorageConfig.Sync.NORMAL, Duration.ofDays(30), 1_000_000_000L, 100);
        EventStore store = EventStore.open(c, Map.of("m1", POINTS), clock);
        Instant old = clock.instant().minus(Duration.ofDays(365));
        for (int i = 0; i < 250; i++) {
            store.audit(new AuditEntry(0, i < 10 ? old : clock.instant(), "t", "m1", "Mode", null, String.valueOf(i),
                    "forbidden", "#" + i));
        }
        store.pruneNow();
        List<AuditEntry> kept = store.audit(Instant.EPOCH, clock.instant().plusSeconds(1), null, 1000);
        assertEquals(100, kept.size());
        assertEquals("#249", kept.getFirst().detail());
        assertEquals("#150", kept.getLast().detail());
        store.pruneNow();
        assertEquals(100, store.audit(Instant.EPOCH, clock.instant().plusSeconds(1), null, 1000).size(),
                "a row under the bound stays");
        store.close(0);

        c = new StorageConfig(true, dir.resolve("readings.db"), Duration.ofMillis(5), StorageConfig.Sync.NORMAL,
                Duration.ofDays(30), 1_000_000_000L);
        store = EventStore.open(c, Map.of("m1", POINTS), clock);
        store.audit(new AuditEntry(0, old, "t", "m1", "Mode", null, "1", "ok", "a year old"));
        store.pruneNow();
        assertEquals(101, store.audit(Instant.EPOCH, clock.instant().plusSeconds(1), null, 1000).size(),
                "a year old, older than retention, under the default bound: kept");
        store.close(0);
    }

    private static final Point IMPORT_WH = column("Import active energy", 3, "1.0.1.8.0.255", "Wh");
    private static final Point EVENT_CODE = column("0.0.96.11.0.255", 1, "0.0.96.11.0.255", "");

    /** A Profile Generic column as the gateway makes them: the meter's own precision. */
    private static Point column(String name, int classId, String obis, String unit) {
        return new Point(name, new io.edgegateway.point.CosemAddress(classId, io.edgegateway.dlms.ObisCode.parse(obis),
                2), io.edgegateway.point.Scaling.NONE, Point.AS_DECODED, unit, BigDecimal.ZERO, Map.of(), "", "");
    }

    private static ProfileEntry interval(String meter, Instant t, String wh) {
        return new ProfileEntry("1.0.99.1.0.255", 0,
                Reading.of(meter, t, Map.of(IMPORT_WH, new PointValue.Number(new BigDecimal(wh)))));
    }

    private static ProfileEntry event(String meter, Instant t, int ordinal, int code) {
        return new ProfileEntry("0.0.99.98.0.255", ordinal,
                Reading.of(meter, t, Map.of(EVENT_CODE, new PointValue.Number(BigDecimal.valueOf(code)))));
    }

    @Test
    void profileRowsAreStoredOnceByMeterProfileAndCaptureTimeAndComeBackAsRows() throws Exception {
        EventStore store = open(Duration.ofMillis(5));
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        Instant t0 = Instant.parse("2026-11-30T00:00:00Z");
        hub.publishEntries(List.of(interval("m1", t0, "1000"), interval("m1", t0.plusSeconds(900), "1250"),
                event("m1", t0.plusSeconds(60), 0, 1), event("m1", t0.plusSeconds(60), 1, 2)));
        store.flush();
        // Offered again (a gateway killed before it knew the row was stored, say): the key is taken.
        hub.publishEntries(List.of(interval("m1", t0, "1000")));
        store.flush();
        assertEquals(1, store.duplicateEntries());
        assertEquals(new StoreReader.LastEntry(t0.plusSeconds(900), 1), store.lastEntry("m1", "1.0.99.1.0.255")
                .orElseThrow());
        assertEquals(new StoreReader.LastEntry(t0.plusSeconds(60), 2), store.lastEntry("m1", "0.0.99.98.0.255")
                .orElseThrow());
        assertTrue(store.lastEntry("m2", "1.0.99.1.0.255").isEmpty());
        try (StoreReader r = store.reader()) {
            List<String> rows = new ArrayList<>();
            Optional<StoreReader.Cursor> next = r.entries("m1", "1.0.99.1.0.255", t0, t0.plusSeconds(3600),
                    StoreReader.Cursor.START, 1, (id, e) -> rows.add(ReadingJson.profileEntry(e, false, "id", id)));
            assertEquals(List.of("{\"id\":1000,\"meterNo\":\"m1\",\"timestamp\":\"2026-11-30T00:00:00.000Z\","
                    + "\"profile\":\"1.0.99.1.0.255\",\"Import active energy\":\"1000 Wh\"}"), rows);
            r.entries("m1", "1.0.99.1.0.255", t0, t0.plusSeconds(3600), next.orElseThrow(), 10,
                    (id, e) -> rows.add(e.reading().timestamp() + " " + e.reading().values().get("Import active energy")
                            .display()));
            assertEquals("2026-11-30T00:15:00Z 1250 Wh", rows.get(1));
            assertEquals(2, rows.size(), "the duplicate was not stored: " + rows);
        }
        // The rows replay as the rows they were (for SSE resume and the uplink), with their profile.
        List<String> replayed = replay(store, 0, hub.lastId(), ALL);
        assertEquals(4, replayed.size(), replayed.toString());
        assertTrue(replayed.get(3).contains("\"profile\":\"0.0.99.98.0.255\",\"0.0.96.11.0.255\":\"2\"")
                && replayed.get(3).contains("#1"), replayed.get(3));
        store.close(hub.lastId());
        Thread.sleep(20);

        EventStore again = open(Duration.ofMillis(5));
        assertEquals(t0.plusSeconds(900), again.lastEntry("m1", "1.0.99.1.0.255").orElseThrow().captured());
        again.close();
    }

    @Test
    void aReadersCursorIsSavedWithTheNextCommitNeverMovesBackAndSurvivesAReopen() throws Exception {
        EventStore store = open(Duration.ofMillis(5));
        EventHub hub = new EventHub(List.of("m1", "m2"), 10, store.startRun(1000), store);
        assertTrue(store.cursor("uplink.mqtt").isEmpty());
        hub.publishReading(reading("m1", clock.instant(), "230.1", "1.5", 1));
        store.saveCursor("uplink.mqtt", 1000);
        store.saveCursor("uplink.mqtt", 999); // a late acknowledgement on another thread
        store.flush();
        assertEquals(1000, store.cursor("uplink.mqtt").orElseThrow());
        assertEquals(1, store.count(999, 1000));
        assertEquals(0, store.count(1000, 5000));
        assertEquals(1000, store.nthAfter(0, 5000, 1), "the first event after 0");
        assertEquals(5000, store.nthAfter(0, 5000, 2), "fewer than 2: the end of the range");
        assertEquals(1000, store.durableUpTo());
        store.close(hub.lastId());
        Thread.sleep(20);

        EventStore again = open(Duration.ofMillis(5));
        assertEquals(1000, again.cursor("uplink.mqtt").orElseThrow(), "read back from the file");
        again.close();
    }
}
