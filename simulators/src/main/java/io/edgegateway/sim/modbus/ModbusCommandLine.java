package io.edgegateway.sim.modbus;

import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.profile.Protocol;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.fault.Faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Options shared by {@code modbus-tcp} and {@code modbus-rtu}: parsing ({@code --name value} or
 * {@code --name=value}), units, profiles and faults. Errors are IllegalArgumentExceptions with a message for the
 * user (exit code 2).
 */
final class ModbusCommandLine {

    /** Options every Modbus simulator command takes; the value is whether the option takes a value. */
    static final Map<String, Boolean> COMMON = Map.of("--unit", true, "--profiles", true, "--strict", false,
            "--fault", true, "--log", false);

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private ModbusCommandLine() {
    }

    static ModbusCommandLine parse(List<String> args, Map<String, Boolean> specific) {
        Map<String, Boolean> known = new TreeMap<>(COMMON);
        known.putAll(specific);
        ModbusCommandLine c = new ModbusCommandLine();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            Boolean takesValue = known.get(name);
            if (takesValue == null) {
                throw new IllegalArgumentException(arg.startsWith("-") ? "unknown option " + name
                        + " (options: " + String.join(" ", known.keySet()) + ")" : "unexpected argument '" + arg + "'");
            }
            String value;
            if (!takesValue) {
                if (!name.equals(arg)) {
                    throw new IllegalArgumentException(name + " takes no value");
                }
                value = "";
            } else if (!name.equals(arg)) {
                value = arg.substring(name.length() + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            c.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return c;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String single(String name, String defaultValue) {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw new IllegalArgumentException(name + " given " + v.size() + " times");
        }
        return v.isEmpty() ? defaultValue : v.get(0);
    }

    int integer(String name, int defaultValue, int min, int max) {
        String v = single(name, null);
        if (v == null) {
            return defaultValue;
        }
        int i;
        try {
            i = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, got '" + v + "'");
        }
        if (i < min || i > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + i);
        }
        return i;
    }

    ProfileCatalog catalog() {
        String dir = single("--profiles", null);
        try {
            return dir == null ? ProfileCatalog.shipped() : ProfileCatalog.withDirectory(Path.of(dir));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The --unit options: unit id to profile, in id order. */
    Map<Integer, DeviceProfile> units(ProfileCatalog catalog) {
        List<String> specs = all("--unit");
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
        for (String spec : all("--fault")) {
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
