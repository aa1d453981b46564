package io.edgegateway.bench;

import io.edgegateway.bench.load.WalkingMeter;
import io.edgegateway.command.Options;
import io.edgegateway.config.StorageConfig;
import io.edgegateway.demo.DemoRig;
import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.point.Point;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.reading.Reading;
import io.edgegateway.store.EventStore;
import io.edgegateway.store.StoreHealth;
import io.edgegateway.store.StoreReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/bench store}: what the reading store costs. Prints, and asserts nothing:
 * <ul>
 *   <li>sustained readings stored per second (SDM630 readings, a realistic share of values changing);</li>
 *   <li>bytes on disk per stored point value;</li>
 *   <li>bytes written per hour by the demo (all six meters, the default commit interval);</li>
 *   <li>query times over a file holding {@code --days} of {@code --meters} meters.</li>
 * </ul>
 */
final class StoreBenchmark {

    int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("seconds", "days", "meters", "every", "demo-minutes"), Set.of())
                .positionalCount(0, 0, "");
        int seconds = o.integer("seconds", 20, 1, 3600);
        int days = o.integer("days", 30, 1, 365);
        int meters = o.integer("meters", 100, 1, 1000);
        Duration every = Duration.ofSeconds(o.integer("every", 60, 1, 3600));
        int demoMinutes = o.integer("demo-minutes", 3, 0, 120);
        DeviceProfile sdm630 = ProfileCatalog.shipped().find("sdm630").orElseThrow();
        Path dir = Files.createTempDirectory("bench-store");
        try {
            throughput(dir, sdm630, seconds);
            if (demoMinutes > 0) {
                demoWrites(dir.resolve("demo"), demoMinutes);
            }
            queries(dir.resolve("month.db"), sdm630, days, meters, every);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    private static StorageConfig config(Path file, Duration retention) {
        return new StorageConfig(true, file, StorageConfig.DEFAULT_COMMIT_INTERVAL, StorageConfig.Sync.NORMAL, retention,
                100L * 1000 * 1000 * 1000);
    }

    /** Meters {@code prefix0..}, all of one profile, each with its own seeded random walk. */
    private record Fleet(List<String> nos, Map<String, List<Point>> points, List<WalkingMeter> meters) {
        static Fleet of(String prefix, int count, DeviceProfile profile, long seedBase) {
            List<String> nos = new ArrayList<>();
            Map<String, List<Point>> points = new LinkedHashMap<>();
            List<WalkingMeter> meters = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String no = prefix + i;
                nos.add(no);
                points.put(no, profile.points());
                meters.add(new WalkingMeter(no, profile.points(), seedBase + i));
            }
            return new Fleet(nos, points, meters);
        }
    }

    /**
     * Readings stored per second, two ways: the store alone, fed readings as a poller makes them (what the writer
     * sustains), and the whole publish path (on-change filtering and JSON rendering in the hub, then the
     * store), as a poller would drive it.
     */
    private void throughput(Path dir, DeviceProfile profile, int seconds) throws Exception {
        int meterCount = 50;
        Fleet fleet = Fleet.of("M", meterCount, profile, 0);
        List<String> nos = fleet.nos();
        Map<String, List<Point>> points = fleet.points();
        List<WalkingMeter> ms = fleet.meters();
        Path alone = dir.resolve("alone.db");
        EventStore store = EventStore.open(config(alone, Duration.ofDays(3650)), points, Clock.systemUTC());
        long id = store.startRun(1);
        long first = id;
        long changedValues = 0;
        Instant t = Instant.now();
        long disk0 = writeBytes();
        long t0 = System.nanoTime();
        long until = t0 + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < until) {
            for (int b = 0; b < 250; b++) {
                WalkingMeter m = ms.get((int) (id % meterCount));
                t = t.plusMillis(1);
                Reading r = m.next(t);
                Set<String> changed = m.changed(r);
                changedValues += changed.size();
                store.append(new HubEvent.Data(id++, r, changed));
            }
            keepUnderQueue(store);
        }
        store.flush();
        double secs = (System.nanoTime() - t0) / 1e9;
        StoreHealth h = store.health();
        store.close(id - 1);
        System.out.printf(Locale.ROOT, "== store: SDM630 readings (%d points, %d meters, %.1f values of %d beyond their "
                + "deadband per reading), %d s each%n", profile.points().size(), meterCount,
                changedValues / (double) (id - first), profile.points().size(), seconds);
        report("the store alone (readings made as a poller makes them, no hub)", h, alone, id - first, secs,
                writeBytes() - disk0);

        Path whole = dir.resolve("publish.db");
        store = EventStore.open(config(whole, Duration.ofDays(3650)), points, Clock.systemUTC());
        EventHub hub = new EventHub(nos, 1000, store.startRun(1), store);
        long published = 0;
        disk0 = writeBytes();
        t0 = System.nanoTime();
        until = t0 + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < until) {
            for (int b = 0; b < 250; b++) {
                t = t.plusMillis(1);
                if (hub.publishReading(ms.get((int) (published % meterCount)).next(t)).isPresent()) {
                    published++;
                }
            }
            keepUnderQueue(store);
        }
        store.flush();
        secs = (System.nanoTime() - t0) / 1e9;
        h = store.health();
        store.close(hub.lastId());
        report("publish path (hub + store, one thread)", h, whole, published, secs, writeBytes() - disk0);
    }

    /**
     * The store keeps at most 2,048 events queued and 2,048 being committed: with at most 1,700 in both, a batch of
     * 250 more is never dropped, and the writer commits while the feed goes on.
     */
    private static void keepUnderQueue(EventStore store) throws InterruptedException {
        while (store.health().queued() > 1700) {
            Thread.sleep(1);
        }
    }

    /** Figures of a run; the file's size is taken after the store closed (its log checkpointed into it). */
    private static void report(String what, StoreHealth h, Path file, long readings, double secs, long disk)
            throws IOException {
        System.out.printf(Locale.ROOT, "   %s: %.0f readings/s stored (%d in %.1f s, %d dropped, %.1f commits/s)%n",
                what, readings / secs, readings, secs, h.dropped(), h.commits() / secs);
        long bytes = Files.size(file);
        System.out.printf(Locale.ROOT, "     %d point values stored, %.2f MB on disk: %.1f bytes per stored point value; "
                        + "%.0f MB written to disk (%.1f times the file: the write-ahead log, then the file)%n",
                h.valuesWritten(), bytes / 1e6, bytes / (double) h.valuesWritten(), disk / 1e6, disk / (double) bytes);
    }

    /**
     * Disk bytes the demo writes per hour, from this process's {@code write_bytes} in /proc/self/io: what reached
     * the block device (the store is the only file the gateway writes; its log goes to stdout). The demo's storage
     * settings can be changed as any config's, e.g. {@code -Dstorage.commit-interval=5s}.
     */
    private void demoWrites(Path stateDir, int minutes) throws Exception {
        Files.createDirectories(stateDir);
        long before = writeBytes();
        try (DemoRig rig = DemoRig.start("127.0.0.1", 0, Duration.ofSeconds(2), 0, 100, stateDir, true)) {
            Thread.sleep(Duration.ofMinutes(minutes));
            long written = writeBytes() - before;
            StorageConfig c = rig.gateway().store().config();
            StoreHealth h = rig.gateway().store().health();
            double hours = minutes / 60.0;
            System.out.printf(Locale.ROOT, "== demo (6 meters, commit-interval %d ms, sync %s) for %d min: %d events "
                            + "stored in %d commits%n", c.commitInterval().toMillis(),
                    c.sync().name().toLowerCase(Locale.ROOT), minutes, h.written(), h.commits());
            System.out.printf(Locale.ROOT, "   written to disk: %.1f MB per hour (%.1f KB per commit); file %.2f MB "
                            + "after %d min%n", written / hours / 1e6, written / 1e3 / Math.max(1, h.commits()),
                    h.fileBytes() / 1e6, minutes);
        }
    }

    /** This process's write_bytes from /proc/self/io. */
    private static long writeBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring(12).trim());
            }
        }
        throw new IOException("/proc/self/io has no write_bytes");
    }

    private void queries(Path file, DeviceProfile profile, int days, int meterCount, Duration every) throws Exception {
        Instant end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Instant start = end.minus(Duration.ofDays(days));
        Fleet fleet = Fleet.of("H", meterCount, profile, 1000);
        List<String> nos = fleet.nos();
        Map<String, List<Point>> points = fleet.points();
        List<WalkingMeter> ms = fleet.meters();
        EventStore store = EventStore.open(config(file, Duration.ofDays(days + 1)), points, Clock.systemUTC());
        EventHub hub = new EventHub(nos, 100, store.startRun(System.currentTimeMillis() * 1000), store);
        long t0 = System.nanoTime();
        long n = 0;
        for (Instant t = start; t.isBefore(end); t = t.plus(every)) {
            for (WalkingMeter m : ms) {
                hub.publishReading(m.next(t));
                if (++n % 5000 == 0) {
                    store.flush();
                }
            }
        }
        store.flush();
        double genSecs = (System.nanoTime() - t0) / 1e9;
        long size = store.health().fileBytes();
        store.close(hub.lastId());
        System.out.printf(Locale.ROOT, "== %d days of %d meters, a reading every %d s: %d readings, %.1f MB, written "
                + "in %.0f s%n", days, meterCount, every.toSeconds(), n, size / 1e6, genSecs);
        String meter = nos.get(meterCount / 2);
        String point = "L1 Voltage";
        long dayFrom = end.minus(Duration.ofDays(1)).toEpochMilli();
        long hourFrom = end.minus(Duration.ofHours(1)).toEpochMilli();
        double[] buckets = new double[7];
        double[] raw = new double[7];
        int[] counts = new int[2];
        try (StoreReader r = StoreReader.open(file, points)) {
            for (int i = 0; i < buckets.length; i++) {
                long q0 = System.nanoTime();
                counts[0] = 0;
                r.buckets(meter, dayFrom, end.toEpochMilli(), Duration.ofMinutes(15).toMillis(), end.toEpochMilli(),
                        point::equals, (s, stats) -> counts[0]++);
                buckets[i] = (System.nanoTime() - q0) / 1e6;
                long q1 = System.nanoTime();
                counts[1] = 0;
                r.readings(meter, hourFrom, end.toEpochMilli(), StoreReader.Cursor.START, 10_000,
                        (id, reading) -> counts[1]++);
                raw[i] = (System.nanoTime() - q1) / 1e6;
            }
        }
        Arrays.sort(buckets);
        Arrays.sort(raw);
        System.out.printf(Locale.ROOT, "   24 h of one point in 15-min buckets (%d buckets): median %.1f ms (of 7)%n",
                counts[0], buckets[3]);
        System.out.printf(Locale.ROOT, "   1 h of raw readings (%d readings, all 52 points rebuilt): median %.1f ms (of 7)%n",
                counts[1], raw[3]);
    }
}
