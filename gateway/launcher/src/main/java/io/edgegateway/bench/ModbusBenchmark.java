package io.edgegateway.bench;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.plan.ReadPlan;
import io.edgegateway.modbus.plan.ReadPlanner;
import io.edgegateway.modbus.plan.ReadRequest;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Driver overhead against bare j2mod, on the same simulator and the same requests.
 *
 * <p>An SDM630 simulator runs in this process on a loopback port. The driver side polls the full profile through
 * {@link ModbusMeter} (planning, validation, decoding into point values); the raw side sends the very same planned
 * requests through a plain j2mod {@link ModbusTCPMaster} and decodes nothing. Both run alternately in two rounds
 * after a warm-up, each over its own connection. The figures include the simulator's own work, so the ratio is a
 * lower bound on how close the driver gets to j2mod.
 */
public final class ModbusBenchmark {

    private static final int UNIT = 1;

    int run(List<String> args) throws Exception {
        int seconds = 10;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--seconds") && i + 1 < args.size()) {
                seconds = Integer.parseInt(args.get(++i));
            } else if (args.get(i).startsWith("--seconds=")) {
                seconds = Integer.parseInt(args.get(i).substring("--seconds=".length()));
            } else {
                System.err.println("bin/bench modbus: unknown option " + args.get(i) + "\n\n" + BenchMain.usage());
                return 2;
            }
        }
        if (seconds < 2) {
            System.err.println("bin/bench modbus: --seconds must be at least 2");
            return 2;
        }
        DeviceProfile sdm = ProfileCatalog.shipped().find("sdm630").orElseThrow();
        List<Point> points = sdm.points();
        ReadPlan plan = new ReadPlanner(sdm.limits()).plan(points);
        ReadPlan naive = ReadPlanner.onePerPoint(points);

        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(UNIT, sdm).build().start();
             ModbusClient link = ModbusClient.tcp("127.0.0.1", sim.port(), LinkOptions.TCP)) {
            ModbusMeter meter = new ModbusMeter(link, UNIT, sdm.limits());
            ModbusTCPMaster raw = new ModbusTCPMaster("127.0.0.1", sim.port());
            raw.connect();
            try {
                System.out.printf(Locale.ROOT, "Modbus TCP benchmark: %s profile, %d points, %s, %d s of polling%n",
                        sdm.name(), points.size(), sim.describe(), seconds);
                System.out.printf(Locale.ROOT, "Java %s, %d CPUs%n%n", Runtime.version(),
                        Runtime.getRuntime().availableProcessors());
                Duration warm = Duration.ofMillis(Math.min(2000, seconds * 200L));
                pollDriver(meter, points, warm);
                pollRaw(raw, plan, warm);
                // Short alternating rounds, and the median of each side: this machine is shared, and a burst of
                // someone else's load should not land on one side only.
                int rounds = Math.max(3, seconds);
                Duration round = Duration.ofMillis(seconds * 1000L / (2 * rounds));
                double[] driverRates = new double[rounds];
                double[] rawRates = new double[rounds];
                Tally driver = new Tally();
                Tally bare = new Tally();
                for (int i = 0; i < rounds; i++) {
                    Stretch d = i % 2 == 0 ? pollDriver(meter, points, round) : null;
                    Stretch r = pollRaw(raw, plan, round);
                    if (d == null) {
                        d = pollDriver(meter, points, round);
                    }
                    driver.add(d);
                    bare.add(r);
                    driverRates[i] = d.cycles / (d.nanos / 1e9);
                    rawRates[i] = r.cycles / (r.nanos / 1e9);
                }
                int perCycle = plan.requests().size();
                double driverReq = median(driverRates) * perCycle;
                double rawReq = median(rawRates) * perCycle;
                double driverCpu = driver.cpuNanos / 1e3 / (driver.cycles * perCycle);
                double rawCpu = bare.cpuNanos / 1e3 / (bare.cycles * perCycle);
                System.out.printf(Locale.ROOT, "%-34s %12s %12s %12s %16s%n", "", "requests/s", "points/s", "us/request",
                        "master CPU us/req");
                System.out.printf(Locale.ROOT, "%-34s %12.0f %12.0f %12.1f %16.1f%n", "driver (ModbusMeter, decoded)",
                        driverReq, driverReq / perCycle * points.size(), 1e6 / driverReq, driverCpu);
                System.out.printf(Locale.ROOT, "%-34s %12.0f %12s %12.1f %16.1f%n", "raw j2mod ModbusTCPMaster",
                        rawReq, "-", 1e6 / rawReq, rawCpu);
                System.out.printf(Locale.ROOT, "%-34s %11.1f%%  (target >= 90%%)%n", "driver / raw, requests/s",
                        100 * driverReq / rawReq);
                System.out.printf(Locale.ROOT, "%-34s %11.1f%%  (raw CPU / driver CPU per request, polling thread)%n",
                        "driver / raw, CPU efficiency", 100 * rawCpu / driverCpu);
                System.out.println();
                System.out.printf(Locale.ROOT, "requests per poll cycle: %d planned (%d registers) vs %d one-per-point "
                        + "(%d registers)%n", plan.requests().size(), plan.unitsRead(), naive.requests().size(),
                        naive.unitsRead());
                System.out.printf(Locale.ROOT, "poll cycles/s (median of %d alternating rounds of %d ms): driver %.0f "
                        + "(%.0f..%.0f), raw %.0f (%.0f..%.0f)%n%n", rounds, round.toMillis(), median(driverRates),
                        min(driverRates), max(driverRates), median(rawRates), min(rawRates), max(rawRates));
                System.out.printf(Locale.ROOT, "totals: driver %d cycles in %.1f s, raw %d cycles in %.1f s%n%n",
                        driver.cycles, driver.seconds(), bare.cycles, bare.seconds());
                rtuLineTime(plan, naive, 9600);
                System.out.println();
                System.out.print(plan.describe());
            } finally {
                raw.disconnect();
            }
        }
        return 0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(0);
    }

    /** One measured stretch. */
    private record Stretch(long cycles, long nanos, long cpuNanos) {
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static final class Tally {
        long cycles;
        long nanos;
        long cpuNanos;

        void add(Stretch s) {
            cycles += s.cycles;
            nanos += s.nanos;
            cpuNanos += s.cpuNanos;
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    private static Stretch pollDriver(ModbusMeter meter, List<Point> points, Duration d) throws Exception {
        return repeat(d, () -> {
            Map<Point, PointValue> values = meter.read(points);
            if (values.size() != points.size()) {
                throw new IllegalStateException("short read");
            }
        });
    }

    private static Stretch pollRaw(ModbusTCPMaster master, ReadPlan plan, Duration d) throws Exception {
        return repeat(d, () -> {
            for (ReadRequest r : plan.requests()) {
                if (r.table() != Table.INPUT) {
                    throw new IllegalStateException("the SDM630 profile is input registers only");
                }
                master.readInputRegisters(UNIT, r.start(), r.count());
            }
        });
    }

    private interface Cycle {
        void poll() throws Exception;
    }

    /** Polls cycle after cycle for {@code d}: the cycles done, the wall time and this thread's CPU time. */
    private static Stretch repeat(Duration d, Cycle cycle) throws Exception {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + d.toNanos();
        long cycles = 0;
        long now;
        do {
            cycle.poll();
            cycles++;
            now = System.nanoTime();
        } while (now < end);
        return new Stretch(cycles, now - start, THREADS.getCurrentThreadCpuTime() - cpu);
    }

    /**
     * Wire time of one poll cycle on RS-485 (docs/protocols.md, "Timing on a serial line"):
     * per FC03/04 request of N registers
     * T = (13 + 2N) * 11 / baud + 2 * t3.5, with t3.5 = 38.5 / baud up to 19200 baud, 1.75 ms above.
     */
    static void rtuLineTime(ReadPlan plan, ReadPlan naive, int baud) {
        double planned = 0;
        for (ReadRequest r : plan.requests()) {
            planned += requestSeconds(r.count(), baud);
        }
        double onePer = 0;
        for (ReadRequest r : naive.requests()) {
            onePer += requestSeconds(r.count(), baud);
        }
        double t35 = baud <= 19200 ? 38.5 / baud : 0.00175;
        System.out.printf(Locale.ROOT, "RTU line time per cycle at %d baud (11 bits/char, t3.5 = %.2f ms, no device "
                + "turnaround):%n", baud, t35 * 1000);
        System.out.printf(Locale.ROOT, "  planned       %3d requests  %7.1f ms  -> at most %5.2f cycles/s on the line%n",
                plan.requests().size(), planned * 1000, 1 / planned);
        System.out.printf(Locale.ROOT, "  one-per-point %3d requests  %7.1f ms  -> at most %5.2f cycles/s on the line%n",
                naive.requests().size(), onePer * 1000, 1 / onePer);
        System.out.printf(Locale.ROOT, "  planning saves %.0f%% of the line time%n", 100 * (1 - planned / onePer));
        SerialSettings s = SerialSettings.of("/dev/null", baud);
        System.out.printf(Locale.ROOT, "  (with 8N1 framing, 10 bits/char, t3.5 = %.2f ms)%n", s.t35Micros() / 1000.0);
    }

    static double requestSeconds(int registers, int baud) {
        double t35 = baud <= 19200 ? 38.5 / baud : 0.00175;
        return (13 + 2.0 * registers) * 11 / baud + 2 * t35;
    }
}
