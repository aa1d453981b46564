package io.edgegateway.bench.fleet;

import io.edgegateway.bench.process.GatewayProcess;
import io.edgegateway.bench.process.ProcFs;
import io.edgegateway.command.Options;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code bin/bench fleet}: the gateway polling a fleet of simulated SDM630s, optionally beside Node-RED polling
 * the same simulators, in alternating runs. Each program runs alone while it is measured: CPU time and RSS from
 * /proc, the readings it achieved per second, and for the gateway its live heap after a full collection.
 *
 * <p>One simulator process per 50 meters, one bus (one TCP connection) per simulator, every meter every second:
 * with the full profile that is 4 FC04 requests per meter, with {@code --points 30} one.
 */
public final class FleetBenchmark {

    static final int METERS_PER_SIMULATOR = 50;

    /**
     * What one run of one program achieved.
     *
     * @param jitPercent of {@code cpuPercent}, what the JVM's JIT compiler threads took; -1 for a program that is
     *                   not a JVM. Well above zero, the window is still in warm-up (see {@code --warmup}). A
     *                   lower bound: HotSpot ends compiler threads it no longer needs, and what a thread that
     *                   ended within the window took is not counted.
     */
    record Figures(String program, double cpuPercent, long rssKb, long maxRssKb, long heapKb, double readingsPerSecond,
                   double jitPercent) {
    }

    /** HotSpot's JIT compiler threads: "C1 CompilerThread0", "C2 CompilerThread1"... */
    private static boolean jitThread(String name) {
        return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
    }

    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("meters", "points", "peer", "decoder", "seconds", "warmup", "runs", "jfr",
                "java-opts", "max-outstanding"),
                Set.of()).positionalCount(0, 0, "");
        int meters = o.integer("meters", 500, 1, 5000);
        if (meters > METERS_PER_SIMULATOR && meters % METERS_PER_SIMULATOR != 0) {
            throw new IllegalArgumentException("--meters is at most 50, or a multiple of 50 (50 per simulator)");
        }
        NodeRedPeer.Decoder decoder = switch (o.value("decoder", "per-port")) {
            case "per-port" -> NodeRedPeer.Decoder.PER_PORT;
            case "per-meter" -> NodeRedPeer.Decoder.PER_METER;
            default -> throw new IllegalArgumentException("--decoder is per-port or per-meter");
        };
        String points = o.value("points", "full");
        if (!points.equals("full") && !points.equals("30")) {
            throw new IllegalArgumentException("--points is full or 30");
        }
        String peer = o.value("peer", "none");
        if (!peer.equals("none") && !peer.equals("node-red")) {
            throw new IllegalArgumentException("--peer is node-red (or none)");
        }
        int seconds = o.integer("seconds", 60, 10, 3600);
        int warmup = o.integer("warmup", 30, 5, 600);
        int runs = o.integer("runs", peer.equals("none") ? 1 : 2, 1, 20);
        // The peer's modbus-serial keeps several transactions in flight on each socket; the gateway does so only when
        // its buses say max-outstanding (default 1, one at a time, as for devices).
        int maxOutstanding = o.integer("max-outstanding", 1, 1, 16);
        // A flight recording of the gateway's runs, to see where its CPU goes (jfr view hot-methods FILE).
        // --java-opts: flags added to the appliance's own, to measure what one flag does under load.
        Map<String, String> gatewayEnv = new java.util.HashMap<>();
        String extra = o.value("java-opts", "");
        if (o.has("jfr")) {
            // Sampled every 2 ms: at 3-4 % of a core, the default 10-20 ms gave some 40 samples a minute.
            extra += " -XX:StartFlightRecording=filename=" + Path.of(o.required("jfr")).toAbsolutePath()
                    + ",settings=profile,jdk.ExecutionSample#period=2ms";
            gatewayEnv.put("GATEWAY_CDS_DIR", "off"); // a JVM that writes its CDS archive at exit records nothing
        }
        if (!extra.isBlank()) {
            gatewayEnv.put("GATEWAY_JAVA_OPTS", extra.trim());
            System.out.println("   (gateway JVM: bin/lib/jvm.options and " + extra.trim() + ")");
        }
        Path root = Path.of(System.getProperty("gateway.home", ".")).toAbsolutePath();
        Path dir = Files.createTempDirectory("bench-fleet");
        FleetPlan plan = FleetPlan.of(meters, points.equals("30"));
        Path redJs = null;
        if (peer.equals("node-red")) {
            Path cache = Path.of(System.getProperty("user.home"), ".cache", "edge-gateway",
                    "node-red-" + NodeRedPeer.NODE_RED);
            redJs = NodeRedPeer.install(cache, line -> System.out.println("   " + line));
        }
        List<Process> simulators = new ArrayList<>();
        try {
            List<Integer> ports = startSimulators(root, plan, dir, simulators);
            int gatewayPort = freePort();
            Path config = plan.writeGatewayConfig(dir, ports, gatewayPort, maxOutstanding);
            NodeRedPeer nodeRed = redJs == null ? null : new NodeRedPeer(redJs,
                    NodeRedPeer.Job.of(plan.profile(), plan.pointCount(), ports, plan.metersOn(0)), decoder);
            System.out.printf("== %d SDM630s (%s, %d FC04 request%s each per second) on %d simulator processes;"
                            + " %d s measured after %d s of warm-up, %d run%s%n", meters,
                    plan.thirtyPoints() ? "30 points" : "all " + plan.pointCount() + " points", plan.requests().size(),
                    plan.requests().size() == 1 ? "" : "s", ports.size(), seconds, warmup, runs, runs == 1 ? "" : "s");
            System.out.println("   gateway buses: " + (maxOutstanding == 1 ? "one transaction at a time (the default)"
                    : "max-outstanding: " + maxOutstanding + " transactions in flight"));
            List<Figures> gateway = new ArrayList<>();
            List<Figures> other = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                gateway.add(print(r, measureGateway(root, config, dir, gatewayPort, gatewayEnv, warmup, seconds)));
                if (nodeRed != null) {
                    other.add(print(r, measureNodeRed(nodeRed, dir, r, warmup, seconds)));
                }
            }
            Figures g = median("gateway", gateway);
            System.out.println("== medians");
            print(0, g);
            if (!other.isEmpty()) {
                Figures n = median("node-red (" + o.value("decoder", "per-port") + " decode)", other);
                print(0, n);
                System.out.printf("   gateway / node-red: CPU %.2f×, RSS %.2f×, readings/s %.2f×%n",
                        g.cpuPercent() / n.cpuPercent(), (double) g.rssKb() / n.rssKb(),
                        g.readingsPerSecond() / n.readingsPerSecond());
            }
        } finally {
            simulators.forEach(Process::destroy);
            for (Process p : simulators) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            deleteTree(dir);
        }
        return 0;
    }

    private static List<Integer> startSimulators(Path root, FleetPlan plan, Path dir, List<Process> out)
            throws IOException, InterruptedException {
        List<Integer> ports = new ArrayList<>();
        for (int s = 0; s < plan.simulatorCount(); s++) {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/simulator").toString(), "modbus-tcp",
                    "--port", String.valueOf(port), "--bind", "127.0.0.1"));
            for (int unit = 1; unit <= plan.metersOn(s); unit++) {
                cmd.add("--unit");
                cmd.add(unit + "=sdm630");
            }
            ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("simulator-" + s + ".log").toFile());
            b.environment().remove("GATEWAY_JAVA_OPTS"); // the launcher's flags, not this JVM's
            b.environment().put("GATEWAY_CDS_DIR", "off");
            out.add(b.start());
            ports.add(port);
        }
        for (int port : ports) {
            awaitListening(port);
        }
        return ports;
    }

    private static Figures measureGateway(Path root, Path config, Path dir, int port, Map<String, String> env,
                                          int warmup, int seconds) throws Exception {
        try (GatewayProcess gw = new GatewayProcess(root, config, dir.resolve("gateway.log"), port, env)) {
            gw.start();
            Thread.sleep(Duration.ofSeconds(warmup));
            Window w = Window.open(gw.pid(), () -> goodPolls(gw), FleetBenchmark::jitThread);
            Thread.sleep(Duration.ofSeconds(seconds));
            Window.Result r = w.close();
            long heap = gw.liveHeapKb();
            gw.stop();
            return new Figures("gateway", r.cpuPercent(), r.rssKb(), r.maxRssKb(), heap, r.perSecond(),
                    r.partPercent());
        }
    }

    private static long goodPolls(GatewayProcess gw) {
        String m = gw.metrics();
        return (long) (GatewayProcess.sum(m, "gateway_polls_total") - GatewayProcess.sum(m, "gateway_poll_errors_total"));
    }

    private static Figures measureNodeRed(NodeRedPeer peer, Path dir, int run, int warmup, int seconds)
            throws Exception {
        Path userDir = Files.createDirectories(dir.resolve("node-red-" + run));
        peer.writeFlow(userDir);
        Process p = peer.start(userDir, freePort());
        try {
            Thread.sleep(Duration.ofSeconds(warmup));
            long errors0 = peer.rate().errors();
            Window w = Window.open(p.pid(), peer::readings, name -> false);
            Thread.sleep(Duration.ofSeconds(seconds));
            Window.Result r = w.close();
            long errors = peer.rate().errors() - errors0;
            if (errors > 0) {
                System.out.printf("   node-red: %d failed requests in the window (see %s)%n", errors,
                        userDir.resolve("node-red.log"));
            }
            return new Figures("node-red", r.cpuPercent(), r.rssKb(), r.maxRssKb(), -1, r.perSecond(), -1);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static Figures print(int run, Figures f) {
        System.out.printf("   %-8s %s CPU %5.1f%% of one core%s, RSS %4d MB (max %4d MB)%s, %7.1f readings/s%n",
                f.program(), run == 0 ? "median:" : "run " + run + ":", f.cpuPercent(),
                f.jitPercent() < 0 ? "" : String.format(" (JIT %.1f%%)", f.jitPercent()), f.rssKb() / 1024,
                f.maxRssKb() / 1024, f.heapKb() < 0 ? "" : String.format(", live heap %3d MB", f.heapKb() / 1024),
                f.readingsPerSecond());
        return f;
    }

    private static Figures median(String program, List<Figures> runs) {
        return new Figures(program, median(runs.stream().mapToDouble(Figures::cpuPercent).toArray()),
                (long) median(runs.stream().mapToDouble(Figures::rssKb).toArray()),
                (long) median(runs.stream().mapToDouble(Figures::maxRssKb).toArray()),
                (long) median(runs.stream().mapToDouble(Figures::heapKb).toArray()),
                median(runs.stream().mapToDouble(Figures::readingsPerSecond).toArray()),
                median(runs.stream().mapToDouble(Figures::jitPercent).toArray()));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** CPU, RSS and a counter of one process over a measured window. */
    private static final class Window {
        /** A counter of readings that the program under test achieved. */
        interface Counter {
            long read() throws Exception;
        }

        /** @param partPercent the CPU of the threads the window was told to single out */
        record Result(double cpuPercent, long rssKb, long maxRssKb, double perSecond, double partPercent) {
        }

        private final long pid;
        private final Counter counter;
        private final long ticks0;
        private final Predicate<String> part;
        private final Map<Long, Long> partTicks0;
        private final long count0;
        private final long countedAt0;
        private final long t0;
        private final Thread sampler;
        private volatile long maxRss;

        private Window(long pid, Counter counter, Predicate<String> part) throws Exception {
            this.pid = pid;
            this.counter = counter;
            this.part = part;
            this.countedAt0 = System.nanoTime();
            this.count0 = counter.read();
            this.ticks0 = ProcFs.cpuTicks(pid);
            this.partTicks0 = ProcFs.threadCpuTicks(pid, part);
            this.t0 = System.nanoTime();
            this.sampler = Thread.ofVirtual().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        maxRss = Math.max(maxRss, ProcFs.rssKb(pid));
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException e) {
                    // the window closed, or the process is gone
                }
            });
        }

        /** @param part names of the threads whose share of the CPU is also wanted */
        static Window open(long pid, Counter counter, Predicate<String> part) throws Exception {
            return new Window(pid, counter, part);
        }

        Result close() throws Exception {
            long ticks = ProcFs.cpuTicks(pid);
            long partTicks = 0;
            for (Map.Entry<Long, Long> e : ProcFs.threadCpuTicks(pid, part).entrySet()) {
                partTicks += e.getValue() - partTicks0.getOrDefault(e.getKey(), 0L);
            }
            long t = System.nanoTime();
            sampler.interrupt();
            long rss = ProcFs.rssKb(pid);
            double secs = (t - t0) / 1e9;
            // Both programs poll in rounds, a second apart: counted a whole number of seconds apart, both counts
            // fall at the same point of a round, and the window holds as many rounds as seconds (otherwise one
            // round more or less, +-1.7 % at 500 meters).
            long whole = Math.max(1, (long) Math.ceil((t - countedAt0) / 1e9));
            long wait = countedAt0 + TimeUnit.SECONDS.toNanos(whole) - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            long count = counter.read();
            return new Result(100.0 * (ticks - ticks0) / ProcFs.TICKS_PER_SECOND / secs, rss, Math.max(maxRss, rss),
                    (count - count0) / (double) whole, 100.0 * partTicks / ProcFs.TICKS_PER_SECOND / secs);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException("no simulator listening on port " + port + " after 60 s");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
