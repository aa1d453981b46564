package io.edgegateway.simulator;

import io.edgegateway.command.Options;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.profile.Protocol;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.modbus.ModbusSimulator;
import io.edgegateway.sim.modbus.SimulatorStats;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What {@code modbus-tcp} and {@code modbus-rtu} share on top of the generic {@link Options}: the common options,
 * units, profiles, faults, the request log and the start-up lines. Errors are IllegalArgumentExceptions with a
 * message for the user (exit code 2).
 */
final class ModbusCommandLine {

    /** Options every Modbus simulator command takes, with a value and as flags. */
    private static final Set<String> COMMON_VALUED = Set.of("unit", "profiles", "fault");
    private static final Set<String> COMMON_FLAGS = Set.of("strict", "log");

    private final Options options;

    private ModbusCommandLine(Options options) {
        this.options = options;
    }

    /** Parses the common options plus a command's own; positional arguments are refused. */
    static ModbusCommandLine parse(List<String> args, Set<String> valued, Set<String> flags) {
        Set<String> v = new HashSet<>(COMMON_VALUED);
        v.addAll(valued);
        Set<String> f = new HashSet<>(COMMON_FLAGS);
        f.addAll(flags);
        return new ModbusCommandLine(Options.parse(args, v, f).positionalCount(0, 0, ""));
    }

    Options options() {
        return options;
    }

    /** With --log, a sink printing one time-stamped line per request to {@code out}; null without. */
    Consumer<String> requestLog(PrintStream out) {
        return options.has("log") ? line -> out.println(LocalTime.now().withNano(0) + " " + line) : null;
    }

    /** The start-up lines: what each unit serves, where, and the faults switched on. */
    static void announce(PrintStream out, Map<Integer, DeviceProfile> units, String where,
                         IntFunction<String> ranges, Faults faults) {
        units.forEach((id, p) -> out.printf("unit %d: %s (%s) on %s, %d points: %s%n", id, p.name(), p.description(),
                where, p.points().size(), ranges.apply(id)));
        if (faults.any()) {
            out.println("faults: " + faults.describe());
        }
    }

    /**
     * Announces what {@code sim} serves and blocks until Ctrl-C, then stops it and prints its counters.
     *
     * @param failure why the simulator stopped by itself (a serial port that failed), or null while it runs
     * @return the exit code: 0 after Ctrl-C, 1 when the simulator failed
     */
    static int serveUntilStopped(ModbusSimulator sim, Map<Integer, DeviceProfile> units, PrintStream out,
                                 Supplier<String> failure) throws InterruptedException {
        announce(out, units, sim.describe(), sim::describeRanges, sim.faults());
        out.println("serving; Ctrl-C stops");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stop();
            SimulatorStats s = sim.stats();
            out.printf("stopped after %d requests (%d answered, %d exceptions, %d unanswered, %d connections, "
                    + "%d bad CRCs received)%n", s.requests(), s.answered(), s.exceptions(), s.silent(), s.connections(),
                    s.crcErrors());
            out.flush();
            stopped.countDown();
        }));
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            String why = failure.get();
            if (why != null) {
                System.err.println("bin/simulator: " + sim.describe() + " failed: " + why);
                return 1;
            }
        }
        return 0;
    }

    ProfileCatalog catalog() {
        String dir = options.value("profiles").orElse(null);
        try {
            return dir == null ? ProfileCatalog.shipped() : ProfileCatalog.withDirectory(Path.of(dir));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The --unit options: unit id to profile, in id order. */
    Map<Integer, DeviceProfile> units(ProfileCatalog catalog) {
        List<String> specs = options.all("unit");
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("give at least one --unit ID=PROFILE, e.g. --unit 1=sdm630 (profiles: "
                    + String.join(", ", modbusProfiles(catalog)) + ")");
        }
        Map<Integer, DeviceProfile> out = new TreeMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--unit wants ID=PROFILE, e.g. 1=sdm630, got '" + spec + "'");
            }
            int id;
            try {
                id = Integer.parseInt(spec.substring(0, eq).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--unit " + spec + ": unit id must be a number 1..247");
            }
            if (id < 1 || id > 247) {
                throw new IllegalArgumentException("--unit " + spec + ": unit id must be 1..247");
            }
            String name = spec.substring(eq + 1).trim();
            DeviceProfile p = catalog.find(name).orElseThrow(() -> new IllegalArgumentException("--unit " + spec
                    + ": unknown profile '" + name + "' (known: " + String.join(", ", modbusProfiles(catalog)) + ")"));
            if (p.protocol() != Protocol.MODBUS) {
                throw new IllegalArgumentException("--unit " + spec + ": profile " + name + " is a "
                        + p.protocol().configName() + " profile, not Modbus");
            }
            if (out.put(id, p) != null) {
                throw new IllegalArgumentException("unit " + id + " is given twice");
            }
        }
        return out;
    }

    static List<String> modbusProfiles(ProfileCatalog catalog) {
        return catalog.all().stream().filter(p -> p.protocol() == Protocol.MODBUS).map(DeviceProfile::name).toList();
    }

    /** Applies the --fault options; a unit scope ({@code 2:silent}) must name a served unit. */
    void applyFaults(Faults faults, Set<Integer> units) {
        Map<Integer, FaultPlan> perUnit = new TreeMap<>();
        FaultPlan all = FaultPlan.NONE;
        for (String spec : options.all("fault")) {
            String s = spec.trim();
            int colon = s.indexOf(':');
            if (colon > 0 && s.substring(0, colon).chars().allMatch(Character::isDigit)) {
                int unit = Integer.parseInt(s.substring(0, colon));
                if (!units.contains(unit)) {
                    throw new IllegalArgumentException("--fault " + spec + ": no unit " + unit + " is served (units: "
                            + units + ")");
                }
                perUnit.merge(unit, FaultPlan.parse(s.substring(colon + 1)), FaultPlan::and);
            } else {
                all = all.and(FaultPlan.parse(s));
            }
        }
        faults.set(all);
        perUnit.forEach(faults::set);
    }

    static String commonHelp() {
        return """
                  --unit ID=PROFILE      serve PROFILE as unit ID (1-247); repeat for more units on the same port.
                                         Profiles shipped: %s
                  --profiles DIR         also load *.yaml profiles from DIR (a same-named file replaces a shipped one)
                  --strict               registers no point covers answer exception 02 ILLEGAL DATA ADDRESS instead
                                         of reading as 0, as many meters do
                  --fault [UNIT:]FAULT   misbehave on purpose; repeat to combine; with UNIT only that unit. FAULT:
                %s
                  --log                  print one line per request (unit, function, range, outcome)
                  --help                 this text
                """.formatted(String.join(", ", modbusProfiles(ProfileCatalog.shipped())), FaultPlan.SYNTAX.indent(27)
                .stripTrailing());
    }

    static String writeRules() {
        return """
                Writes (functions 5, 6, 15, 16) reach the simulated device: setpoints change the process. A write to a
                register no point covers, or to a read-only point, answers exception 02; a write that covers only
                part of a multi-register value answers 03.""";
    }
}
