package io.edgegateway.bench.acting;

import io.edgegateway.alert.AlertWatch;
import io.edgegateway.alert.WatchedMeter;
import io.edgegateway.bench.load.WalkingMeter;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;
import io.edgegateway.store.EventStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Alert rules on the poll path: {@link EventHub#publishReading} for {@code meters} SDM630s (every point, values
 * walking as {@link WalkingMeter} walks them), (a) with no observer, (b) with an {@link AlertWatch} holding 2 point
 * rules a meter and a status rule, (c) with 20 point rules a meter and the status rule. Each configuration has its
 * own hub and its own meters, seeded alike, so all three see the same readings; their rounds are interleaved (the
 * order turns each round) so that a change in the machine's load falls on all three.
 *
 * <p>The hubs log to no store: the store's writer sustains about 23,000 readings/s (bin/bench store) and would set
 * every figure. The watches are built as {@code Gateway.start} builds them, from a parsed config, with a real
 * {@link EventStore} in a temporary directory as their book (it is read when a watch is built and started, and not
 * on the poll path). The clock is the system's, so {@code for} runs in real time: bindings whose values sit in
 * alarm raise after 10 s, and the watch's timer thread wakes for every pending deadline, as it would in the field.
 */
final class AlertCost {

    private static final String[] NAMES = {"(a) no observer (baseline)", "(b) AlertWatch, 2 rules a meter + status",
            "(c) AlertWatch, 20 rules a meter + status"};

    private final int meters;
    private final int rounds;
    private final int warmup;
    private final int polls;
    private final Clock clock = Clock.systemUTC();
    private final DeviceProfile sdm630 = ProfileCatalog.shipped().find("sdm630").orElseThrow();

    /** Per configuration: the hub, the watch (none for the baseline), the meters feeding it. */
    private final EventHub[] hubs = new EventHub[3];
    private final AlertWatch[] watches = new AlertWatch[3];
    private final List<List<WalkingMeter>> walkers = new ArrayList<>();
    private final List<List<Double>> nanosPerReading = List.of(new ArrayList<>(), new ArrayList<>(),
            new ArrayList<>());

    AlertCost(int meters, int rounds, int warmup, int polls) {
        this.meters = meters;
        this.rounds = rounds;
        this.warmup = warmup;
        this.polls = polls;
    }

    void run(Path dir) throws Exception {
        List<String> rulesB = pointRules(2);
        List<String> rulesC = pointRules(20);
        GatewayConfig b = config(dir.resolve("b"), rulesB);
        GatewayConfig c = config(dir.resolve("c"), rulesC);
        List<String> nos = b.devices().stream().map(DeviceConfig::meterNo).toList();
        Map<String, List<Point>> points = new LinkedHashMap<>();
        b.devices().forEach(d -> points.put(d.meterNo(), d.points()));
        EventStore store = EventStore.open(b.storage(), points, clock);
        store.startRun(clock.millis() * 1000);
        try {
            System.out.printf(Locale.ROOT, "== alert rules on the poll path: EventHub.publishReading, %d SDM630s x %d"
                    + " points, %d polls of every meter a round, %d rounds after %d warm-up%n", meters,
                    sdm630.points().size(), polls, rounds, warmup);
            System.out.println("   rules a meter: (b) " + String.join("; ", rulesB.stream().map(AlertCost::brief)
                    .toList()) + "; status DISCONNECTED for 5m");
            System.out.println("   (c) 20 such rules on 20 points (gt, between, lt, outside in turn, for 10s)"
                    + " + the status rule; each in alarm for about a tenth of the meters");
            long heap0 = Figures.liveHeap();
            for (int k = 0; k < 3; k++) {
                hubs[k] = new EventHub(nos, b.sse().replaySize(), 1);
                List<WalkingMeter> ws = new ArrayList<>();
                for (int i = 0; i < meters; i++) {
                    ws.add(new WalkingMeter(nos.get(i), sdm630.points(), 42 + i));
                }
                walkers.add(ws);
            }
            long heapHubs = Figures.liveHeap();
            watches[1] = watch(b, hubs[1], store);
            long heapB = Figures.liveHeap();
            watches[2] = watch(c, hubs[2], store);
            long heapC = Figures.liveHeap();
            for (EventHub h : hubs) {
                for (String m : nos) { // as each bus scheduler does on a meter's first answer
                    h.publishStatus(new StatusReport(m, MeterStatus.CONNECTED, clock.instant(), null));
                }
            }
            for (int r = 0; r < warmup + rounds; r++) {
                for (int j = 0; j < 3; j++) {
                    int k = (r + j) % 3;
                    double nanos = round(k);
                    if (r >= warmup) {
                        nanosPerReading.get(k).add(nanos);
                    }
                }
            }
            report(heapB - heapHubs, heapC - heapB, heap0);
        } finally {
            for (AlertWatch w : watches) {
                if (w != null) {
                    w.close();
                }
            }
            store.close(0);
        }
    }

    private AlertWatch watch(GatewayConfig config, EventHub hub, EventStore store) {
        // As Gateway.start builds it (the store is the book), before any poll.
        AlertWatch w = new AlertWatch(config.alerts(), config.devices().stream()
                .map(d -> new WatchedMeter(d.meterNo(), d.profile(), d.points())).toList(), hub, store,
                ConfigLoader.alertRules(config.profiles(), config.devices()), clock);
        w.start();
        return w;
    }

    /** One round of configuration {@code k}: nanoseconds per reading, only the hub's publishing timed. */
    private double round(int k) {
        EventHub hub = hubs[k];
        List<WalkingMeter> ws = walkers.get(k);
        Reading[] batch = new Reading[meters];
        long nanos = 0;
        for (int p = 0; p < polls; p++) {
            Instant at = clock.instant();
            for (int i = 0; i < meters; i++) {
                batch[i] = ws.get(i).next(at);
            }
            long t0 = System.nanoTime();
            for (Reading r : batch) {
                hub.publishReading(r);
            }
            nanos += System.nanoTime() - t0;
        }
        return nanos / (double) (polls * meters);
    }

    private void report(long builtB, long builtC, long heap0) {
        double base = Figures.median(nanosPerReading.get(0));
        System.out.printf(Locale.ROOT, "   %-44s %12s %12s %8s %8s %10s%n", "", "readings/s", "", "us a", "", "time");
        System.out.printf(Locale.ROOT, "   %-44s %12s %12s %8s %8s %10s%n", "", "median", "best", "reading",
                "best", "vs (a)");
        for (int k = 0; k < 3; k++) {
            List<Double> ns = nanosPerReading.get(k);
            double med = Figures.median(ns);
            double best = Figures.min(ns);
            System.out.printf(Locale.ROOT, "   %-44s %12.0f %12.0f %8.2f %8.2f %9.2fx%n", NAMES[k], 1e9 / med,
                    1e9 / best, med / 1e3, best / 1e3, med / base);
        }
        long alertsB = hubs[1].publishedCount() - hubs[0].publishedCount();
        long alertsC = hubs[2].publishedCount() - hubs[0].publishedCount();
        System.out.printf(Locale.ROOT, "   alert states published over all rounds: (b) %d, (c) %d; open at the end:"
                + " (b) %d of %d bindings, (c) %d of %d%n", alertsB, alertsC, open(watches[1]),
                watches[1].slots().size(), open(watches[2]), watches[2].slots().size());

        // Live heap: each watch measured as it was built (after GC before and after), which is its bindings, the
        // meters' status maps and its timer. Its state after the rounds (pending values, open alerts, up to 500
        // recent occurrences) could not be told apart from its hub's by dropping hubs one at a time: the figures
        // were not repeatable, so none is printed.
        System.out.printf(Locale.ROOT, "   live heap the watch holds (after GC, as built): (b) %.2f MB for %d bindings,"
                + " (c) %.2f MB for %d bindings; the whole heap after GC %.1f MB before hubs and watches were built%n",
                mb(builtB), watches[1].slots().size(), mb(builtC), watches[2].slots().size(), mb(heap0));
    }

    private static long open(AlertWatch w) {
        return w.slots().stream().filter(s -> s.current().isPresent()).count();
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /**
     * {@code n} point rules for every SDM630, on the profile's first {@code n} non-energy points (L1 Voltage and L1
     * Current first), in turn gt, between, lt and outside. WalkingMeter starts each value between 100 and 300 and
     * walks it slowly, so each rule is in alarm for about a tenth of the meters, and a few sit at its edge.
     */
    private List<String> pointRules(int n) {
        List<String> names = new ArrayList<>(List.of("L1 Voltage", "L1 Current"));
        for (Point p : sdm630.points()) {
            if (!p.quantity().startsWith("energy") && !names.contains(p.name())) {
                names.add(p.name());
            }
        }
        if (names.size() < n) {
            throw new IllegalStateException("the sdm630 profile has " + names.size() + " points for rules, not " + n);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String what = switch (i % 4) {
                case 0 -> "condition: gt, value: 280, hysteresis: 2";
                case 1 -> "condition: between, value: [100, 120], hysteresis: 1";
                case 2 -> "condition: lt, value: 120, hysteresis: 2";
                default -> "condition: outside, value: [110, 290], hysteresis: 1";
            };
            out.add(String.format(Locale.ROOT, "{id: r%02d, profile: sdm630, point: \"%s\", %s, for: 10s,"
                    + " severity: warning}", i + 1, names.get(i), what));
        }
        return out;
    }

    private static String brief(String rule) {
        return rule.replaceAll("^\\{id: r\\d+, profile: sdm630, point: \"([^\"]+)\", condition: (\\w+), value: ",
                "$1 $2 ").replace(", severity: warning}", "").replace(", hysteresis: ", " hysteresis ")
                .replace(", for: ", " for ");
    }

    /** {@code meters} SDM630s on buses of 100 (never connected: no scheduler runs), the rules, a state dir. */
    private GatewayConfig config(Path stateDir, List<String> pointRules) throws Exception {
        Files.createDirectories(stateDir);
        StringBuilder y = new StringBuilder("state-dir: \"" + stateDir + "\"\nbuses:\n");
        for (int b = 0; b < (meters + 99) / 100; b++) {
            y.append(String.format(Locale.ROOT, "  - {name: b%d, type: modbus-tcp, host: 127.0.0.1, port: %d}%n",
                    b, 1502 + b));
        }
        y.append("devices:\n");
        for (int i = 0; i < meters; i++) {
            y.append(String.format(Locale.ROOT, "  - {meter-no: \"m%d\", bus: b%d, unit-id: %d, profile: sdm630}%n",
                    10_000 + i, i / 100, i % 100 + 1));
        }
        y.append("alerts:\n");
        pointRules.forEach(r -> y.append("  - ").append(r).append('\n'));
        y.append("  - {id: lost, profile: sdm630, status: DISCONNECTED, for: 5m, severity: critical}\n");
        return ConfigLoader.loadYaml(y.toString(), "acting.yaml", stateDir);
    }
}
