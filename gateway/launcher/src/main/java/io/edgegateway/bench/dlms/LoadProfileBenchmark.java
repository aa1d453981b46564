package io.edgegateway.bench.dlms;

import io.edgegateway.command.Options;
import io.edgegateway.config.LoadProfileConfig;
import io.edgegateway.config.StorageConfig;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.dlms.client.MultiDropLine;
import io.edgegateway.dlms.cosem.BufferSelection;
import io.edgegateway.dlms.cosem.LoadProfile;
import io.edgegateway.hub.EventHub;
import io.edgegateway.loadprofile.ProfileCatchUp;
import io.edgegateway.point.Point;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.dlms.MultiDropSimulator;
import io.edgegateway.store.EventStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/bench load-profile}: load profile rows per second read by the gateway's DLMS client, over the IEC
 * 62056-47 wrapper and over HDLC with the simulator pacing its frames at 9600 baud, 8N1; then the wall time of
 * a 7-day catch-up (672 rows of 8 columns) through the gateway's own catch-up into a real store, for one meter
 * and for 32 meters on one multi-drop line. Every figure is printed beside the limit the RS-485 wire sets for the
 * same bytes (counted by a relay between client and simulator): 10 bits a byte at 9600 baud, with no gaps, no
 * turnaround and no answer time. Asserts nothing.
 */
public final class LoadProfileBenchmark {

    private static final ObisCode LP = ObisCode.parse("1.0.99.1.0.255");
    private static final int BAUD = 9600;

    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("days", "meters", "line-days", "rounds"), Set.of())
                .positionalCount(0, 0, "");
        int days = o.integer("days", 7, 1, 90);
        int meters = o.integer("meters", 32, 1, 64);
        int lineDays = o.integer("line-days", 1, 1, 90);
        int rounds = o.integer("rounds", 5, 1, 100);
        Path dir = Files.createTempDirectory("bench-load-profile");
        try {
            System.out.printf(Locale.ROOT, "== load profile 1.0.99.1.0.255: 15-minute rows of 8 columns (clock, status,"
                    + " four energies, voltage, power), %d days = %d rows a read%n", days, days * 96);
            readRate("wrapper over TCP", DlmsSimulator.builder().wrapperTcp(), false, days, rounds);
            readRate("HDLC at 9600 baud, both directions paced", DlmsSimulator.builder().hdlcTcp()
                    .lineTiming(BAUD), true, days, 1);
            catchUp(dir, days);
            multiDrop(dir, meters, lineDays);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    /** Reads {@code days} of rows by range, {@code rounds} times after a warm-up, through a byte-counting relay. */
    private static void readRate(String what, DlmsSimulator.Builder b, boolean hdlc, int days, int rounds)
            throws Exception {
        try (DlmsSimulator sim = b.bind("127.0.0.1").port(0).history(Duration.ofDays(days + 1)).build().start();
             CountingRelay relay = new CountingRelay(sim.port(), hdlc ? BAUD : 0)) {
            DlmsSettings.Builder s = hdlc ? DlmsSettings.builder().hdlcTcp("127.0.0.1", relay.port())
                    : DlmsSettings.builder().wrapperTcp("127.0.0.1", relay.port());
            try (DlmsMeter meter = new DlmsMeter(s.responseTimeout(Duration.ofSeconds(10)).build())) {
                Instant now = Instant.now();
                BufferSelection.ByRange range = BufferSelection.ByRange.ofClock(
                        CosemDateTime.ofUtc(now.minus(Duration.ofDays(days))), CosemDateTime.ofUtc(now));
                meter.readProfile(LP, range); // warm-up: association, capture objects, scalers
                relay.takeBytes();
                long rows = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    LoadProfile p = meter.readProfile(LP, range);
                    rows += p.rows().size();
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                long bytes = relay.takeBytes();
                double wire = bytes * 10.0 / BAUD;
                System.out.printf(Locale.ROOT, "%-48s %8.0f rows/s  (%d rows in %.2f s, %d bytes on the line, "
                        + "%.1f bytes a row)%n", what, rows / secs, rows, secs, bytes, bytes / (double) rows);
                System.out.printf(Locale.ROOT, "%-48s %8.0f rows/s  the RS-485 limit for those bytes at %d baud; "
                        + "the read took %.2f x the wire time%n", "", rows / wire, BAUD, secs / wire);
            }
        }
    }

    /** The gateway's catch-up (chunks of a day, into a real store) of {@code days} of one meter over HDLC 9600. */
    private static void catchUp(Path dir, int days) throws Exception {
        try (DlmsSimulator sim = DlmsSimulator.builder().hdlcTcp().lineTiming(BAUD).bind("127.0.0.1").port(0)
                .serialNumber("M0").history(Duration.ofDays(days + 1)).build().start();
             CountingRelay relay = new CountingRelay(sim.port(), BAUD)) {
            DlmsMeter meter = new DlmsMeter(DlmsSettings.builder().hdlcTcp("127.0.0.1", relay.port())
                    .responseTimeout(Duration.ofSeconds(10)).build());
            Rig rig = Rig.of(dir.resolve("one.db"), List.of("M0"), sim.device().profile().points());
            ProfileCatchUp task = rig.task("M0", meter, days);
            long t0 = System.nanoTime();
            int chunks = runToEnd(task);
            double secs = (System.nanoTime() - t0) / 1e9;
            long bytes = relay.takeBytes();
            Object rows = task.details().get("rowsStored");
            meter.close();
            rig.close();
            System.out.printf(Locale.ROOT, "== catch-up of %d days, one meter, HDLC 9600: %s rows stored in %.1f s "
                    + "(%d requests), %d bytes on the line; the wire alone needs %.1f s "
                    + "(the catch-up took %.2f x that)%n",
                    days, rows, secs, chunks, bytes, bytes * 10.0 / BAUD, secs / (bytes * 10.0 / BAUD));
        }
    }

    /** {@code meters} meters on one multi-drop line, each caught up over {@code days}, one after the other. */
    private static void multiDrop(Path dir, int meters, int days) throws Exception {
        List<DlmsSimulator> sims = new ArrayList<>();
        List<String> nos = new ArrayList<>();
        for (int i = 0; i < meters; i++) {
            nos.add("L" + i);
            sims.add(DlmsSimulator.builder().hdlcTcp().lineTiming(BAUD).serialNumber("L" + i)
                    .serverAddress(1, 16 + i).seed(i + 1).history(Duration.ofDays(days + 1)).build());
        }
        try (MultiDropSimulator line = MultiDropSimulator.onTcp("127.0.0.1", 0, sims).start();
             CountingRelay relay = new CountingRelay(line.port(), BAUD)) {
            MultiDropLine shared = MultiDropLine.tcp("127.0.0.1", relay.port(), Duration.ofSeconds(3));
            Rig rig = Rig.of(dir.resolve("line.db"), nos, sims.getFirst().device().profile().points());
            List<ProfileCatchUp> tasks = new ArrayList<>();
            for (int i = 0; i < meters; i++) {
                DlmsMeter m = new DlmsMeter(DlmsSettings.builder().hdlcTcp("127.0.0.1", relay.port())
                        .server(1, 16 + i, 0).responseTimeout(Duration.ofSeconds(10)).build(), shared);
                tasks.add(rig.task(nos.get(i), m, days));
            }
            long t0 = System.nanoTime();
            long rows = 0;
            // As a bus thread runs line tasks: each task one chunk at a time, taking the line over in turn.
            boolean more = true;
            while (more) {
                more = false;
                for (ProfileCatchUp t : tasks) {
                    if (t.details().get("caughtUpAt") == null) {
                        t.run(Instant.now());
                        more = true;
                    }
                }
            }
            for (ProfileCatchUp t : tasks) {
                rows += (Long) t.details().get("rowsStored");
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long bytes = relay.takeBytes();
            shared.close();
            rig.close();
            double wire = bytes * 10.0 / BAUD;
            System.out.printf(Locale.ROOT, "== catch-up of %d day(s), %d meters on one multi-drop line, HDLC 9600: %d "
                    + "rows in %.1f s (%.0f rows/s, %.1f s a meter), %d bytes; the wire alone needs %.1f s "
                    + "(the catch-up took %.2f x that)%n", days, meters, rows, secs, rows / secs, secs / meters,
                    bytes, wire, secs / wire);
            if (days < 7) {
                System.out.printf(Locale.ROOT, "   7 days of all %d meters at this rate: about %.0f min "
                        + "(--line-days 7 measures it)%n", meters, secs * 7 / days / 60);
            }
        }
    }

    private static int runToEnd(ProfileCatchUp task) throws Exception {
        int runs = 1;
        while (task.run(Instant.now())) {
            runs++;
        }
        return runs;
    }

    /** A hub and a store, as the gateway has them. */
    private record Rig(EventStore store, EventHub hub) {
        static Rig of(Path file, List<String> meterNos, List<Point> points) {
            Map<String, List<Point>> byMeter = new LinkedHashMap<>();
            meterNos.forEach(m -> byMeter.put(m, points));
            EventStore store = EventStore.open(new StorageConfig(true, file, StorageConfig.DEFAULT_COMMIT_INTERVAL,
                    StorageConfig.Sync.NORMAL, Duration.ofDays(30), 1_000_000_000L), byMeter, Clock.systemUTC());
            return new Rig(store, new EventHub(meterNos, 1000, store.startRun(1), store));
        }

        ProfileCatchUp task(String meterNo, DlmsMeter meter, int days) {
            return new ProfileCatchUp(meterNo, meter, new LoadProfileConfig(LP, Duration.ofMinutes(15),
                    Duration.ofDays(days)), List.of(), hub, store::lastEntry, Duration.ofDays(30), Clock.systemUTC());
        }

        void close() {
            store.close(hub.lastId());
        }
    }
}
