package io.edgegateway.bench.uplink;

import io.edgegateway.bench.load.WalkingMeter;
import io.edgegateway.bench.process.ProcFs;
import io.edgegateway.command.Options;
import io.edgegateway.config.StorageConfig;
import io.edgegateway.config.UplinkConfig;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.store.EventStore;
import io.edgegateway.uplink.Uplink;
import io.edgegateway.uplink.UplinkHealth;

import com.sun.management.OperatingSystemMXBean;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code bin/bench uplink}: the uplink publishing to a local Mosquitto at QoS 1, in this process with a real store.
 * <ol>
 *   <li>throughput: a backlog of {@code --messages} readings drained as fast as broker and uplink go (no
 *   drain-rate limit), in messages/s and in CPU per 1,000 messages/s, the gateway's and the broker's;</li>
 *   <li>the drain of an outage: {@code --meters} meters at 1 s for {@code --outage-minutes} with the broker
 *   stopped, then the broker back and the meters still reading: the time to catch up at the default
 *   {@code drain-rate} and the drain rate as a multiple of the production rate;</li>
 *   <li>the heap and threads the uplink adds, against the same gateway without it.</li>
 * </ol>
 */
public final class UplinkBenchmark {

    /** The uplink's default drain-rate. */
    private static final int DRAIN_RATE = 2500;

    private final Clock clock = Clock.systemUTC();

    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("meters", "outage-minutes", "messages"), Set.of())
                .positionalCount(0, 0, "");
        int meters = o.integer("meters", 100, 1, 10_000);
        int outageMinutes = o.integer("outage-minutes", 10, 1, 24 * 60);
        int messages = o.integer("messages", 30_000, 1000, 10_000_000);
        MosquittoProcess.program();
        if (new ProcessBuilder("sh", "-c", "command -v mosquitto_sub").start().waitFor() != 0) {
            throw new IllegalArgumentException("needs mosquitto_sub (sudo apt-get install mosquitto-clients)");
        }
        Path dir = Files.createTempDirectory("bench-uplink");
        try {
            System.out.printf("== uplink: JSON at QoS 1 to a local Mosquitto (no subscribers), SDM630 readings"
                    + " (52 points)%n");
            throughput(dir.resolve("throughput"), messages);
            drain(dir.resolve("drain"), meters, outageMinutes);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    /** A hub, its store and the meters feeding it. */
    private final class Rig implements AutoCloseable {
        final EventStore store;
        final EventHub hub;
        final List<WalkingMeter> walkers = new ArrayList<>();
        final List<String> nos = new ArrayList<>();

        Rig(Path dir, int meters) throws Exception {
            Files.createDirectories(dir);
            DeviceProfile sdm630 = ProfileCatalog.shipped().find("sdm630").orElseThrow();
            Map<String, List<Point>> points = new LinkedHashMap<>();
            for (int i = 0; i < meters; i++) {
                String no = "m" + (10_000 + i);
                nos.add(no);
                points.put(no, sdm630.points());
                walkers.add(new WalkingMeter(no, sdm630.points(), 42 + i));
            }
            store = EventStore.open(new StorageConfig(true, dir.resolve("readings.db"), Duration.ofSeconds(1),
                    StorageConfig.Sync.NORMAL, Duration.ofDays(30), 10_000_000_000L), points, clock);
            hub = new EventHub(nos, 10_000, store.startRun(clock.millis() * 1000), store);
        }

        /** {@code n} readings, round robin over the meters, stamped {@code step} apart from {@code from}. */
        void produce(int n, Instant from, Duration step) {
            for (int i = 0; i < n; i++) {
                hub.publishReading(walkers.get(i % walkers.size()).next(from.plus(step.multipliedBy(i))));
                if (i % 1000 == 999) {
                    store.flush(); // keep within the store's queue, as meters at 1 s would
                }
            }
            store.flush();
        }

        @Override
        public void close() {
            store.close(hub.lastId());
        }
    }

    private static UplinkConfig json(int port, int drainRate) {
        return new UplinkConfig("127.0.0.1", port, false, "bench-" + drainRate, "", UplinkConfig.Secret.NONE,
                UplinkConfig.TlsFiles.NONE, UplinkConfig.Format.JSON, "gateways/bench", "", 1, 64, drainRate);
    }

    /** Two rounds on one uplink: the first warms the JIT up, the second is the figure. */
    private void throughput(Path dir, int messages) throws Exception {
        try (Rig rig = new Rig(dir, 100); MosquittoProcess broker = new MosquittoProcess(Files.createDirectories(dir)).start()) {
            Uplink up = Uplink.of(json(broker.port(), 1_000_000), "bench", rig.hub, rig.store, clock);
            up.start();
            awaitState(up, UplinkHealth.State.CONNECTED, Duration.ofSeconds(20));
            for (String round : List.of("warm-up", "throughput")) {
                broker.stop();
                awaitNot(up, UplinkHealth.State.CONNECTED, Duration.ofSeconds(20));
                rig.produce(messages, clock.instant().minusSeconds(messages / 100), Duration.ofMillis(10));
                long target = rig.hub.lastId();
                long connects = up.health().connects();
                broker.start();
                while (up.health().connects() == connects) {
                    Thread.sleep(5);
                }
                long cpu0 = cpuNanos();
                long brokerTicks0 = ProcFs.cpuTicks(broker.pid());
                long acked0 = up.health().acknowledged();
                long t0 = System.nanoTime();
                while (up.health().cursor() < target) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long sent = up.health().acknowledged() - acked0;
                double rate = sent / seconds;
                double cpu = (cpuNanos() - cpu0) / 1e9 / seconds;
                double brokerCpu = (ProcFs.cpuTicks(broker.pid()) - brokerTicks0) / (double) ProcFs.TICKS_PER_SECOND
                        / seconds;
                System.out.printf("-- %s: %,d messages from the store acknowledged in %.2f s: %,.0f messages/s%n",
                        round, sent, seconds, rate);
                System.out.printf("   CPU: gateway %.1f %% of a core (%.1f %% per 1,000 messages/s), mosquitto %.1f %%"
                                + " (%.1f %% per 1,000/s)%n",
                        cpu * 100, cpu * 100 / (rate / 1000), brokerCpu * 100, brokerCpu * 100 / (rate / 1000));
            }
            up.close();
        }
    }

    private void drain(Path dir, int meters, int outageMinutes) throws Exception {
        try (Rig rig = new Rig(dir, meters); MosquittoProcess broker = new MosquittoProcess(Files.createDirectories(dir)).start()) {
            long heapWithout = heapAfterGc();
            long rssWithout = ProcFs.rssKb(ProcessHandle.current().pid());
            int platformWithout = ManagementFactory.getThreadMXBean().getThreadCount();
            Uplink up = Uplink.of(json(broker.port(), DRAIN_RATE), "bench", rig.hub, rig.store, clock);
            up.start();
            awaitState(up, UplinkHealth.State.CONNECTED, Duration.ofSeconds(20));
            rig.produce(meters * 5, clock.instant(), Duration.ofMillis(1000 / meters)); // some live traffic first
            while (up.health().backlog() > 0) {
                Thread.sleep(20);
            }
            long heapWith = heapAfterGc();
            long rssWith = ProcFs.rssKb(ProcessHandle.current().pid());
            int platformWith = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf("-- memory: the uplink adds %.1f MB of live heap (%.1f without it, %.1f with it, connected"
                            + " and idle), %.1f MB of RSS (%.0f -> %.0f, after 500 readings sent) and %d platform"
                            + " threads (%d -> %d)%n",
                    (heapWith - heapWithout) / 1e6, heapWithout / 1e6, heapWith / 1e6, (rssWith - rssWithout) / 1024.0,
                    rssWithout / 1024.0, rssWith / 1024.0, platformWith - platformWithout, platformWithout, platformWith);

            broker.stop();
            awaitNot(up, UplinkHealth.State.CONNECTED, Duration.ofSeconds(20));
            int backlog = meters * 60 * outageMinutes;
            rig.produce(backlog, clock.instant().minus(Duration.ofMinutes(outageMinutes)), Duration.ofMillis(1000 / meters));
            long outageEnd = rig.hub.lastId();
            System.out.printf("-- drain: %d meters at 1 s, broker down for %d min: %,d events waiting (%.0f MB store)%n",
                    meters, outageMinutes, up.health().backlog(), Files.size(dir.resolve("readings.db")) / 1e6);
            // The meters keep reading while the backlog drains, each stamped as it is read: one every 1000/meters ms.
            Thread live = Thread.ofVirtual().start(() -> {
                try {
                    long next = System.nanoTime();
                    for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                        rig.hub.publishReading(rig.walkers.get(i % meters).next(clock.instant()));
                        next += 1_000_000_000L / meters;
                        Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    // stopping
                }
            });
            long connects = up.health().connects();
            broker.start();
            long restarted = System.nanoTime();
            // The watcher is mosquitto_sub, a process of its own: in this JVM it would share the uplink's CPU.
            LiveLatency latency = new LiveLatency(clock.millis());
            Process watcher = new ProcessBuilder("stdbuf", "-oL", "mosquitto_sub", "-p", Integer.toString(broker.port()),
                    "-t", "gateways/bench/meters/+/reading", "-q", "1").redirectErrorStream(true).start();
            Thread.ofVirtual().start(() -> {
                try (var lines = new BufferedReader(new InputStreamReader(watcher.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        latency.arrived(line);
                    }
                } catch (IOException e) {
                    // the watcher stopped
                }
            });
            while (up.health().connects() == connects) {
                Thread.sleep(5);
            }
            long reconnected = System.nanoTime();
            latency.from(clock.millis()); // what the meters read while the broker was still away is backlog
            long cpu0 = cpuNanos();
            while (up.health().cursor() < outageEnd) {
                Thread.sleep(20);
            }
            long caughtUp = System.nanoTime();
            double cpu = (cpuNanos() - cpu0) / 1e9 / ((caughtUp - reconnected) / 1e9);
            live.interrupt();
            live.join();
            watcher.destroy();
            double drainSeconds = (caughtUp - reconnected) / 1e9;
            double rate = backlog / drainSeconds;
            System.out.printf("   reconnected %.1f s after the broker came back (retry backoff)%n",
                    (reconnected - restarted) / 1e9);
            System.out.printf("   caught up in %.1f s: %,.0f events/s drained, %.1f x the production rate of %d/s"
                            + " (drain-rate %d/s), gateway CPU %.1f %% of a core meanwhile%n",
                    drainSeconds, rate, rate / meters, meters, DRAIN_RATE, cpu * 100);
            System.out.printf("   the outage took %.0f s to produce; the drain took %.1f %% of it%n",
                    outageMinutes * 60.0, drainSeconds * 100 / (outageMinutes * 60.0));
            System.out.printf("   live readings during the drain: %d, read to received at a subscriber p50 %d ms, max %d ms"
                    + " (a drain slice is at most 250 ms)%n", latency.count(), latency.percentile(50), latency.percentile(100));
            up.close();
        }
    }

    /**
     * How long live readings (read after the uplink reconnected) took from the meter to a subscriber while the
     * backlog drained: the wait behind drain slices, plus publishing.
     */
    private static final class LiveLatency {
        private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
        private volatile long since;
        private final List<Long> millis = new ArrayList<>();

        LiveLatency(long since) {
            this.since = since;
        }

        void from(long millis) {
            since = millis;
        }

        void arrived(String payload) {
            long now = System.currentTimeMillis();
            var m = TIMESTAMP.matcher(payload);
            if (m.find()) {
                long t = Instant.parse(m.group(1)).toEpochMilli();
                if (t >= since) {
                    synchronized (millis) {
                        millis.add(now - t);
                    }
                }
            }
        }

        int count() {
            synchronized (millis) {
                return millis.size();
            }
        }

        long percentile(int p) {
            synchronized (millis) {
                if (millis.isEmpty()) {
                    return 0;
                }
                List<Long> sorted = millis.stream().sorted().toList();
                return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
            }
        }
    }

    private static void awaitState(Uplink up, UplinkHealth.State state, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (up.health().state() != state) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the uplink is " + up.health().state() + " (" + up.health().reason()
                        + "), not " + state);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitNot(Uplink up, UplinkHealth.State state, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (up.health().state() == state && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        var m = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return m.getUsed();
    }

}
