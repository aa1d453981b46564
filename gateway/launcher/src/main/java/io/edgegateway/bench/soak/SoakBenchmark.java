package io.edgegateway.bench.soak;

import io.edgegateway.bench.process.GatewayProcess;
import io.edgegateway.command.Options;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;

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
 * {@code bin/bench soak}: everything hostile at once for a while, with the gateway as its own process.
 *
 * <ul>
 *   <li>Two Modbus lines (Modbus TCP with 4 healthy SDM120s, RTU over TCP with 2) each carry a hostile unit 9 that
 *       drips, answers garbage, resets, answers exception 04 and goes silent in turn; a healthy DLMS meter, and a
 *       hostile one that drips, answers garbage, goes silent and answers too late (a DLMS bus has one meter per
 *       address, so it has its own).</li>
 *   <li>Churning SSE clients (connect, read, vanish by close, reset or a held dead socket, come back, some with
 *       Last-Event-ID) and slow readers the gateway must cut off.</li>
 *   <li>SIGKILL and restart of the gateway at a fixed period, as systemd restarts a crashed service.</li>
 * </ul>
 *
 * Prints the healthy meters' good polls against nominal, wrong values published (every numeric value every client
 * receives is checked against what the simulators were pinned to), RSS, heap and threads over time, SSE
 * refusals while under the limit, and how long after each restart every client streams again.
 */
public final class SoakBenchmark {

    private static final int PORT_DEFAULT = 18090;
    private static final int MAX_CLIENTS = 1000;
    private static final Duration EPOCH = Duration.ofSeconds(20);
    private static final Duration PHASE = Duration.ofSeconds(30);
    private static final Duration SAMPLE = Duration.ofSeconds(15);
    /** Polls right after a start (connects, JIT) are not what the rate is about. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    private record Meter(String meterNo, String bus, int unit, String profile, Duration interval, boolean healthy) {
    }

    private record Row(Duration at, GatewayProcess.Sample sample) {
    }

    /** Good polls of the healthy meters over one gateway lifetime: a baseline after warm-up, then the latest. */
    private static final class Lifetime {
        Instant baseAt;
        Map<String, Long> base;
        Instant lastAt;
        Map<String, Long> last;
    }

    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("minutes", "restart-every", "clients", "slow", "port"), Set.of());
        double minutes = Double.parseDouble(o.value("minutes", "30"));
        Duration restartEvery = ConfigNode.parseDuration(o.value("restart-every", "5m"));
        int churning = Integer.parseInt(o.value("clients", "500"));
        int slow = Integer.parseInt(o.value("slow", "10"));
        int port = Integer.parseInt(o.value("port", String.valueOf(PORT_DEFAULT)));
        Path root = Path.of(System.getProperty("gateway.home", "."));
        Path tmp = Files.createTempDirectory("gateway-soak");

        ProfileCatalog profiles = ProfileCatalog.shipped();
        DeviceProfile sdm120 = profiles.find("sdm120").orElseThrow();
        Clock clock = Clock.systemUTC();
        List<Meter> meters = List.of(
                new Meter("T1", "tcp-line", 1, "sdm120", Duration.ofSeconds(1), true),
                new Meter("T2", "tcp-line", 2, "sdm120", Duration.ofSeconds(1), true),
                new Meter("T3", "tcp-line", 3, "sdm120", Duration.ofSeconds(1), true),
                new Meter("T4", "tcp-line", 4, "sdm120", Duration.ofSeconds(1), true),
                new Meter("HOSTILE-T9", "tcp-line", 9, "sdm120", Duration.ofSeconds(1), false),
                new Meter("R1", "serial-server", 1, "sdm120", Duration.ofSeconds(1), true),
                new Meter("R2", "serial-server", 2, "sdm120", Duration.ofSeconds(1), true),
                new Meter("HOSTILE-R9", "serial-server", 9, "sdm120", Duration.ofSeconds(1), false),
                new Meter("D1", "dlms-good", 1, "dlms-standard", Duration.ofSeconds(5), true),
                new Meter("HOSTILE-D", "dlms-hostile", 1, "dlms-standard", Duration.ofSeconds(5), false));

        ModbusTcpSimulator.Builder tcpB = ModbusTcpSimulator.builder().port(0);
        ModbusTcpSimulator.Builder rtuB = ModbusTcpSimulator.builder().port(0).rtuOverTcp(true);
        Map<String, SimulatedDevice> devices = new LinkedHashMap<>();
        for (Meter m : meters) {
            if (m.profile().equals("sdm120")) {
                SimulatedDevice d = SimulatedDevice.of(sdm120, m.meterNo().hashCode(), clock);
                devices.put(m.meterNo(), d);
                (m.bus().equals("tcp-line") ? tcpB : rtuB).unit(m.unit(), d);
            }
        }
        List<AutoCloseable> closing = new ArrayList<>();
        try {
            ModbusTcpSimulator tcp = tcpB.build().start();
            closing.add(tcp);
            ModbusTcpSimulator rtu = rtuB.build().start();
            closing.add(rtu);
            DlmsSimulator dlmsGood = DlmsSimulator.builder().wrapperTcp().port(0).seed(61).serialNumber("D1").build().start();
            closing.add(dlmsGood);
            DlmsSimulator dlmsBad = DlmsSimulator.builder().wrapperTcp().port(0).seed(62).serialNumber("HD").build().start();
            closing.add(dlmsBad);
            devices.put("D1", dlmsGood.device());
            devices.put("HOSTILE-D", dlmsBad.device());

            Map<String, Integer> index = new LinkedHashMap<>();
            List<SimulatedDevice> ordered = new ArrayList<>();
            for (Meter m : meters) {
                index.put(m.meterNo(), ordered.size());
                ordered.add(devices.get(m.meterNo()));
            }
            PinnedValues pinned = new PinnedValues(ordered);
            pinned.advance(Instant.now());

            Path config = tmp.resolve("soak.yaml");
            Files.writeString(config, yaml(port, tmp, tcp.port(), rtu.port(), dlmsGood.port(), dlmsBad.port(), meters));
            Path log = tmp.resolve("gateway.log");
            GatewayProcess gateway = new GatewayProcess(root, config, log, port);
            closing.add(gateway);
            HostileCycle hostile = new HostileCycle(List.of(tcp.faults(), rtu.faults()), 9, dlmsBad.faults());

            System.out.printf(Locale.ROOT, "== soak: %.0f min; the gateway (bin/gateway run, its own process) is killed with "
                    + "SIGKILL and restarted every %s; %d churning + %d slow SSE clients (max-clients %d)%n",
                    minutes, text(restartEvery), churning, slow, MAX_CLIENTS);
            System.out.println("   state, config and gateway log in " + tmp);
            Duration firstStart = gateway.start();
            System.out.printf(Locale.ROOT, "   gateway up after %.1f s (pid %d)%n", seconds(firstStart), gateway.pid());

            SoakClients clients = new SoakClients(port, index, pinned);
            closing.add(clients);
            clients.start(churning, slow);

            List<String> healthy = meters.stream().filter(Meter::healthy).map(Meter::meterNo).toList();
            Map<String, Duration> intervals = new LinkedHashMap<>();
            meters.forEach(m -> intervals.put(m.meterNo(), m.interval()));
            List<Row> rows = new ArrayList<>();
            List<Lifetime> lifetimes = new ArrayList<>();
            List<String> restarts = new ArrayList<>();
            List<Long> liveHeap = new ArrayList<>();
            Instant t0 = Instant.now();
            Instant end = t0.plusMillis((long) (minutes * 60_000));
            Instant started = t0;
            Instant nextEpoch = t0.plus(EPOCH);
            Instant nextPhase = t0;
            Instant nextSample = t0.plus(WARM_UP);
            Instant nextRestart = t0.plus(restartEvery);
            Lifetime life = new Lifetime();
            lifetimes.add(life);
            while (Instant.now().isBefore(end)) {
                Instant now = Instant.now();
                if (!now.isBefore(nextEpoch)) {
                    pinned.advance(now);
                    nextEpoch = nextEpoch.plus(EPOCH);
                }
                if (!now.isBefore(nextPhase)) {
                    System.out.println("   " + clock(Duration.between(t0, now)) + " hostile devices now: " + hostile.next());
                    nextPhase = nextPhase.plus(PHASE);
                }
                if (!now.isBefore(nextSample)) {
                    sample(gateway, healthy, life, started, rows, t0);
                    nextSample = nextSample.plus(SAMPLE);
                }
                if (!now.isBefore(nextRestart) && now.plus(restartEvery.dividedBy(2)).isBefore(end)) {
                    sample(gateway, healthy, life, started, rows, t0);
                    liveHeap.add(gateway.liveHeapKb());
                    List<SoakClients.Client> live = clients.clients().stream().filter(c -> c.live).toList();
                    gateway.kill();
                    Instant killed = Instant.now();
                    Duration up = gateway.start();
                    started = Instant.now();
                    List<Duration> back = awaitClients(live, killed, Duration.ofSeconds(120));
                    restarts.add(String.format(Locale.ROOT, "%s killed; answering again after %.1f s; of the %d clients "
                            + "that were streaming, streaming again after: half %.1f s, 90 %% %.1f s, all %s",
                            clock(Duration.between(t0, killed)), seconds(up), live.size(), seconds(at(back, 0.5)),
                            seconds(at(back, 0.9)), back.size() < live.size() ? "NOT within 120 s ("
                                    + (live.size() - back.size()) + " missing)" : String.format(Locale.ROOT, "%.1f s",
                                    seconds(back.getLast()))));
                    life = new Lifetime();
                    lifetimes.add(life);
                    nextRestart = nextRestart.plus(restartEvery);
                    nextSample = Instant.now().plus(WARM_UP);
                }
                Thread.sleep(250);
            }
            sample(gateway, healthy, life, started, rows, t0);
            liveHeap.add(gateway.liveHeapKb());
            clients.close();
            report(healthy, intervals, lifetimes, clients, rows, restarts, liveHeap);
            return clients.wrongValues.sum() == 0 ? 0 : 1;
        } finally {
            for (AutoCloseable c : closing.reversed()) {
                c.close();
            }
        }
    }

    private static void sample(GatewayProcess gateway, List<String> healthy, Lifetime life, Instant started,
                               List<Row> rows, Instant t0) throws Exception {
        Instant now = Instant.now();
        rows.add(new Row(Duration.between(t0, now), gateway.sample()));
        if (Duration.between(started, now).compareTo(WARM_UP) < 0) {
            return;
        }
        Map<String, Long> good = gateway.goodPolls(healthy);
        if (life.base == null) {
            life.base = good;
            life.baseAt = now;
        } else {
            life.last = good;
            life.lastAt = now;
        }
    }

    /**
     * How long after {@code since} each client in {@code live} got its first {@code connected} event again, sorted;
     * those not back within {@code within} are missing from the list.
     */
    private static List<Duration> awaitClients(List<SoakClients.Client> live, Instant since, Duration within)
            throws InterruptedException {
        Instant deadline = since.plus(within);
        while (Instant.now().isBefore(deadline) && !live.stream().allMatch(c -> c.firstConnectedAfter(since) != null)) {
            Thread.sleep(50);
        }
        return live.stream().map(c -> c.firstConnectedAfter(since)).filter(java.util.Objects::nonNull)
                .map(t -> Duration.between(since, t)).sorted().toList();
    }

    private static Duration at(List<Duration> sorted, double share) {
        return sorted.isEmpty() ? Duration.ZERO : sorted.get((int) Math.min(sorted.size() - 1, share * sorted.size()));
    }

    private static void report(List<String> healthy, Map<String, Duration> intervals, List<Lifetime> lifetimes,
                               SoakClients clients, List<Row> rows, List<String> restarts, List<Long> liveHeap) {
        System.out.println("== healthy meters: good polls against nominal (each gateway lifetime after "
                + WARM_UP.toSeconds() + " s of warm-up)");
        double allGood = 0;
        double allNominal = 0;
        double worst = Double.MAX_VALUE;
        for (String m : healthy) {
            double good = 0;
            double nominal = 0;
            for (Lifetime l : lifetimes) {
                if (l.base == null || l.last == null || !l.base.containsKey(m) || !l.last.containsKey(m)) {
                    continue;
                }
                good += l.last.get(m) - l.base.get(m);
                nominal += Duration.between(l.baseAt, l.lastAt).toMillis() / (double) intervals.get(m).toMillis();
            }
            allGood += good;
            allNominal += nominal;
            double pct = nominal == 0 ? 0 : 100 * good / nominal;
            worst = Math.min(worst, pct);
            System.out.printf(Locale.ROOT, "   %-4s %6.0f good polls of %6.0f nominal: %5.1f %%%n", m, good, nominal, pct);
        }
        System.out.printf(Locale.ROOT, "   all healthy meters: %.1f %% of nominal (worst meter %.1f %%)%n",
                allNominal == 0 ? 0 : 100 * allGood / allNominal, worst);
        System.out.printf(Locale.ROOT, "== wrong values published: %d of %d numeric values the clients received (%d events)%n",
                clients.wrongValues.sum(), clients.valuesChecked.sum(), clients.events.sum());
        clients.wrongExamples.forEach(w -> System.out.println("   e.g. " + w));
        System.out.printf(Locale.ROOT, "== SSE: %d streams opened; refused with 503 while under max-clients %d: %d; "
                + "connections that failed while the gateway was down or starting: %d%n",
                clients.streams.sum(), MAX_CLIENTS, clients.refused.sum(), clients.connectFailures.sum());
        System.out.println("== restarts (SIGKILL, then started again at once)");
        restarts.forEach(r -> System.out.println("   " + r));
        System.out.println("== gateway process over time");
        System.out.println("   time    RSS MB  heap MB  threads  SSE clients");
        Duration nextRow = Duration.ZERO;
        for (Row r : rows) {
            if (r.at().compareTo(nextRow) >= 0 || r == rows.getLast()) {
                System.out.printf(Locale.ROOT, "   %s  %6d  %7d  %7d  %11d%n", clock(r.at()), r.sample().rssKb() / 1024,
                        r.sample().heapUsedBytes() >> 20, r.sample().threads(), r.sample().sseClients());
                nextRow = r.at().plus(Duration.ofMinutes(1));
            }
        }
        System.out.println("   live heap after a full GC, before each kill and at the end (MB): "
                + String.join(", ", liveHeap.stream().map(k -> String.valueOf(k / 1024)).toList()));
    }

    private static String yaml(int port, Path tmp, int tcpPort, int rtuPort, int dlmsGood, int dlmsBad, List<Meter> meters) {
        StringBuilder y = new StringBuilder();
        y.append("server: {port: ").append(port).append("}\n");
        y.append("sse: {max-clients: ").append(MAX_CLIENTS).append(", heartbeat: 10s, client-timeout: 10s}\n");
        y.append("state-dir: ").append(tmp.resolve("state")).append('\n');
        y.append("buses:\n");
        y.append("  - {name: tcp-line, type: modbus-tcp, host: 127.0.0.1, port: ").append(tcpPort).append(", timeout: 500ms}\n");
        y.append("  - {name: serial-server, type: modbus-rtu-over-tcp, host: 127.0.0.1, port: ").append(rtuPort)
                .append(", timeout: 500ms}\n");
        y.append("  - {name: dlms-good, type: dlms-tcp, host: 127.0.0.1, port: ").append(dlmsGood).append(", timeout: 2s}\n");
        y.append("  - {name: dlms-hostile, type: dlms-tcp, host: 127.0.0.1, port: ").append(dlmsBad).append(", timeout: 2s}\n");
        y.append("devices:\n");
        for (Meter m : meters) {
            y.append(String.format(Locale.ROOT, "  - {meter-no: \"%s\", bus: %s, unit-id: %d, profile: %s, interval: %ds}%n",
                    m.meterNo(), m.bus(), m.unit(), m.profile(), m.interval().toSeconds()));
        }
        return y.toString();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static String clock(Duration d) {
        return String.format(Locale.ROOT, "%2d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    private static String text(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
