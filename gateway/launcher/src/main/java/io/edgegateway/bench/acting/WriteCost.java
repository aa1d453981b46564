package io.edgegateway.bench.acting;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.JulLoggingProvider;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.WriteRange;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.LogManager;
import java.util.logging.SimpleFormatter;

/**
 * A write's round trip to a simulated Modbus TCP PLC (the shipped {@code plc} profile) on 127.0.0.1, {@code Pump
 * Speed Setpoint}, values alternating between a quarter and three quarters of its range (on its step):
 * <ol>
 *   <li>(a) the driver alone: {@link ModbusMeter} on the link the gateway would open for the same bus, reading the
 *   point, writing it and reading it back, as the bus thread does for a write;</li>
 *   <li>(b) {@code POST /api/meters/plc1/points/Pump%20Speed%20Setpoint} on a started {@link Gateway} polling the PLC
 *   every second, with a write token: the route, the checks, the queue to the bus thread, the same three exchanges,
 *   the audit row in SQLite, the reading published;</li>
 *   <li>(c) the same while the gateway polls the PLC every 100 ms (a write waits for a poll in progress).</li>
 * </ol>
 * Writes are sequential, one HTTP/1.1 connection kept alive, the client in this JVM. Each round starts a gateway
 * of its own (and stops it), and the configurations take turns, the order turning each round. The gateway's log
 * line for each write is formatted as usual and dropped, not printed.
 */
final class WriteCost {

    private static final String POINT = "Pump Speed Setpoint";
    private static final String TOKEN = "bench-writer-0123456789";
    private static final String[] NAMES = {"(a) driver alone (ModbusMeter)", "(b) POST on a Gateway, polled at 1 s",
            "(c) POST on a Gateway, polled at 100 ms"};

    private final int writes;
    private final int rounds;
    private final int warmup;
    private final List<List<Double>> perSecond = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    private final List<List<Double>> p50 = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    private final List<List<Double>> p99 = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    private final long[] failures = new long[3];
    private String firstFailure;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private BigDecimal low;
    private BigDecimal high;
    private long count;

    WriteCost(int writes, int rounds, int warmup) {
        this.writes = writes;
        this.rounds = rounds;
        this.warmup = warmup;
    }

    void run(Path dir) throws Exception {
        DeviceProfile plc = ProfileCatalog.shipped().find("plc").orElseThrow();
        Point point = plc.point(POINT).orElseThrow();
        WriteRange range = point.write();
        low = onStep(range, 1);
        high = onStep(range, 3);
        SimulatedDevice device = SimulatedDevice.of(plc, 7, Clock.systemUTC());
        quietLog(dir);
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().bind("127.0.0.1").port(0).unit(1, device).build()
                .start()) {
            System.out.printf(Locale.ROOT, "== write round trip: '%s' of a simulated PLC (plc profile, Modbus TCP on"
                    + " 127.0.0.1), read + FC06 write + read back, %s and %s in turn; %d sequential writes a round,"
                    + " %d rounds after %d warm-up%n", POINT, low.toPlainString(), high.toPlainString(), writes,
                    rounds, warmup);
            for (int r = 0; r < warmup + rounds; r++) {
                for (int j = 0; j < 3; j++) {
                    int k = (r + j) % 3;
                    Path state = Files.createDirectories(dir.resolve("writes-" + k));
                    long[] nanos = k == 0 ? driver(sim.port(), state, point) : viaGateway(sim.port(), state,
                            k == 1 ? "1s" : "100ms", k);
                    if (r >= warmup) {
                        long total = 0;
                        for (long n : nanos) {
                            total += n;
                        }
                        perSecond.get(k).add(nanos.length / (total / 1e9));
                        p50.get(k).add(Figures.percentileMs(nanos, 0.50));
                        p99.get(k).add(Figures.percentileMs(nanos, 0.99));
                    }
                }
            }
        } finally {
            restoreLog();
        }
        report(Dropping.FORMATTED.get());
    }

    /** The value {@code quarters}/4 of the way through the range, on its step. */
    private static BigDecimal onStep(WriteRange r, int quarters) {
        BigDecimal v = r.min().add(r.max().subtract(r.min()).multiply(BigDecimal.valueOf(quarters))
                .divide(BigDecimal.valueOf(4), 6, RoundingMode.HALF_UP));
        BigDecimal steps = v.subtract(r.min()).divide(r.step(), 0, RoundingMode.DOWN);
        return r.min().add(steps.multiply(r.step()));
    }

    private BigDecimal next() {
        return count++ % 2 == 0 ? low : high;
    }

    private GatewayConfig config(int port, Path state, String interval) {
        return ConfigLoader.loadYaml("""
                state-dir: "%s"
                security:
                  tokens:
                    - {name: bench, token: %s, write: true}
                server: {port: 0}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: plc1, bus: b, unit-id: 1, profile: plc, interval: %s}]
                """.formatted(state, TOKEN, port, interval), "writes.yaml", state);
    }

    /** (a): read, write, read back through the driver, on the link the gateway opens for this bus. */
    private long[] driver(int port, Path state, Point point) throws Exception {
        GatewayConfig config = config(port, state, "1s");
        DeviceConfig d = config.devices().getFirst();
        long[] nanos = new long[writes];
        try (ModbusClient link = ProtocolConnector.modbusLink(config.buses().getFirst())) {
            ModbusMeter meter = new ModbusMeter(link, d.unitId(), d.limits());
            Point p = d.points().stream().filter(x -> x.name().equals(point.name())).findFirst().orElseThrow();
            meter.read(List.of(p)); // untimed: the link connects on its first request
            for (int i = 0; i < writes; i++) {
                PointValue v = new PointValue.Number(next());
                long t0 = System.nanoTime();
                meter.read(List.of(p)).get(p);
                meter.write(p, v);
                PointValue back = meter.read(List.of(p)).get(p);
                nanos[i] = System.nanoTime() - t0;
                if (!(back instanceof PointValue.Number n) || n.value().compareTo(((PointValue.Number) v).value())
                        != 0) {
                    fail(0, "read back " + back + " after writing " + v);
                }
            }
        }
        return nanos;
    }

    /** (b), (c): POSTs to a gateway started for this round, polling the PLC every {@code interval}. */
    private long[] viaGateway(int port, Path state, String interval, int k) throws Exception {
        long[] nanos = new long[writes];
        try (Gateway g = Gateway.start(config(port, state, interval), new ProtocolConnector(), Clock.systemUTC())) {
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (g.hub().status("plc1").status() != MeterStatus.CONNECTED) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the gateway never reached the PLC: " + g.hub().status("plc1"));
                }
                Thread.sleep(20);
            }
            URI uri = URI.create("http://127.0.0.1:" + g.port() + "/api/meters/plc1/points/"
                    + POINT.replace(" ", "%20"));
            for (int i = -1; i < writes; i++) { // the first, untimed, opens the HTTP connection
                HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"value\": " + next().toPlainString() + "}"))
                        .build();
                long t0 = System.nanoTime();
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t0;
                }
                if (res.statusCode() != 200) {
                    fail(k, res.statusCode() + " " + res.body());
                }
            }
        }
        return nanos;
    }

    private void fail(int k, String what) {
        failures[k]++;
        if (firstFailure == null) {
            firstFailure = NAMES[k] + ": " + what;
        }
    }

    private void report(long logged) {
        double base = 1 / Figures.median(perSecond.get(0));
        System.out.printf(Locale.ROOT, "   %-42s %9s %9s %9s %9s %9s %9s %9s%n", "", "writes/s", "", "p50 ms", "",
                "p99 ms", "", "time");
        System.out.printf(Locale.ROOT, "   %-42s %9s %9s %9s %9s %9s %9s %9s%n", "", "median", "best", "median",
                "min", "median", "min", "vs (a)");
        for (int k = 0; k < 3; k++) {
            double med = Figures.median(perSecond.get(k));
            System.out.printf(Locale.ROOT, "   %-42s %9.0f %9.0f %9.3f %9.3f %9.3f %9.3f %8.2fx%n", NAMES[k], med,
                    Figures.max(perSecond.get(k)), Figures.median(p50.get(k)), Figures.min(p50.get(k)),
                    Figures.median(p99.get(k)), Figures.min(p99.get(k)), (1 / med) / base);
        }
        System.out.printf(Locale.ROOT, "   (\"time vs (a)\": median time a write, over the driver's; p50/p99 are each"
                + " round's, their median and minimum over rounds; %d gateway log lines formatted and dropped)%n",
                logged);
        if (firstFailure != null) {
            System.out.printf(Locale.ROOT, "   FAILED writes: (a) %d, (b) %d, (c) %d; the first: %s%n", failures[0],
                    failures[1], failures[2], firstFailure);
        }
    }

    /**
     * The gateway logs each write at INFO; on a terminal that would be thousands of lines. The gateway's own logging
     * setup (its logging.properties, which Helidon reads again when a server starts) is kept but for its handler:
     * {@link Dropping} formats every record as the console handler would, then drops it; warnings reach stderr.
     */
    private static Path quietLog(Path dir) throws Exception {
        String props;
        try (var in = WriteCost.class.getResourceAsStream("/logging.properties")) {
            props = in == null ? ".level=INFO\n"
                    : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        props = props.replaceAll("(?m)^handlers=.*$", java.util.regex.Matcher.quoteReplacement("handlers="
                + Dropping.class.getName()))
                .replace("java.util.logging.ConsoleHandler.", Dropping.class.getName() + ".");
        Path file = Files.createDirectories(dir).resolve("logging.properties");
        Files.writeString(file, props);
        System.setProperty("java.util.logging.config.file", file.toString());
        LogManager.getLogManager().readConfiguration();
        return file;
    }

    private static void restoreLog() {
        System.clearProperty("java.util.logging.config.file");
        JulLoggingProvider.configure();
    }

    /** A console handler whose output goes nowhere: records are formatted, counted and dropped. */
    public static final class Dropping extends Handler {
        static final AtomicLong FORMATTED = new AtomicLong();

        public Dropping() {
            setFormatter(new SimpleFormatter());
        }

        @Override
        public void publish(LogRecord r) {
            if (!isLoggable(r)) {
                return;
            }
            String line = getFormatter().format(r);
            FORMATTED.incrementAndGet();
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                System.err.print(line);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
