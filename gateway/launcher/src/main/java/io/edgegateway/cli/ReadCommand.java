package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.profile.RequestLimits;
import io.edgegateway.modbus.plan.ReadPlanner;
import io.edgegateway.modbus.plan.ReadRequest;
import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.modbus.codec.RegisterDecoder;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.Protocol;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code bin/gateway read}: one register range or one COSEM attribute, decoded with the gateway's own decoders. */
final class ReadCommand implements Command {

    private static final Set<String> MODBUS_ONLY = Set.of("unit", "table", "address", "register", "type", "order",
            "count", "scale", "bit", "length", "raw");
    private static final Set<String> DLMS_ONLY = Set.of("obis", "class", "attribute", "client", "server-logical",
            "server-physical", "password", "ek", "ak", "system-title", "state-dir");
    private static final Set<String> VALUED = OptionText.union(Target.VALUED, Set.of("unit", "table", "address",
            "register", "type", "order", "count", "scale", "bit", "length", "poll", "times", "profile", "profiles",
            "point", "obis", "class", "attribute", "client", "server-logical", "server-physical", "password", "ek",
            "ak", "system-title", "state-dir"));
    private static final Set<String> FLAGS = OptionText.union(Target.FLAGS, Set.of("raw"));
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    @Override
    public String name() {
        return "read";
    }

    @Override
    public String summary() {
        return "read registers or a COSEM object by hand, decoded and scaled, once or polling";
    }

    @Override
    public String help() {
        return """
                bin/gateway read TARGET --unit N (--address N | --register N) [--type T] [--order O] [--count N]
                                 [--scale F] [--bit B] [--length N] [--raw] [--poll 1s [--times N]]
                bin/gateway read TARGET --unit N --profile NAME [--point NAME]... [--poll 1s]
                bin/gateway read DLMS-TARGET --obis A.B.C.D.E.F [--class 3] [--attribute 2] [security]
                  Like mbpoll, with the gateway's decoders: reads once (or every --poll interval until Ctrl-C
                  or --times reads) and prints each value. Device errors (no answer, exception codes, bad
                  frames) print one line with the reason and exit 1; bad options exit 2.
                TARGET: --tcp HOST[:PORT] | --rtu-over-tcp HOST:PORT | --serial DEVICE [--baud 9600]
                        [--parity none|even|odd] [--stop-bits 1|2]          (as for bin/gateway scan)
                DLMS-TARGET: --dlms-tcp HOST[:PORT] [--hdlc] | --dlms-serial DEVICE [--baud 9600] [--mode-e]
                Modbus:
                  --unit N           unit id (default 1)
                  --table T          input | holding | coil | discrete (default holding)
                  --address N        0-based protocol address, decimal or 0x hex
                  --register N       1-based manual number instead: 30001-39999 (or 300001-365536) read input
                                     registers, 40001-49999 (or 400001-465536) holding registers, others
                                     count from 1 in --table (register 3028 = address 3027)
                  --type T           int16 | uint16 | int32 | uint32 | int64 | uint64 | float32 | float64 |
                                     bool | string (default uint16; bool for coils and discrete inputs)
                  --order O          ABCD | CDAB | BADC | DCBA: word and byte order (default ABCD, high word first)
                  --count N          read N consecutive values (default 1); bools in a register continue with
                                     the next bits
                  --scale F          multiply by F, e.g. 0.1 for values sent in tenths (default 1)
                  --bit B            bool: bit 0-15 of the register (implies --type bool)
                  --length N         string: length in registers, two characters each
                  --raw              also print the registers as they came off the wire, in hex
                  --profile NAME     read a profile's points instead (planned into few requests), shown as
                                     the gateway reports them ("230.5 V"); --point NAME (repeatable) for some
                  --profiles DIR     also load *.yaml profiles from DIR
                DLMS:
                  --obis CODE        logical name, e.g. 1.0.32.7.0.255 (L1 voltage)
                  --class N          interface class (default 3, Register; 1 Data, 4 Extended register,
                                     8 Clock, 111 Account)
                  --attribute N      attribute (default 2, the value); a Register's scaler and unit are applied
                  --client N         client address (default 16 public; 32 with --password, 48 with keys)
                  --server-logical N / --server-physical N   server address (default 1 / 0)
                  --password TEXT    LLS password
                  --ek HEX --ak HEX --system-title HEX
                                     HLS-GMAC: block cipher key, authentication key (32 hex digits each) and
                                     this client's system title (16 hex digits; use one of the tool's own, not
                                     the gateway's). Never printed or logged.
                  --state-dir DIR    where the HLS invocation counter is kept (default: the gateway
                                     service's, /var/lib/gateway/dlms; required elsewhere)
                  --profile NAME     read a DLMS profile's points (e.g. dlms-standard) instead of --obis
                Both:
                  --timeout T        answer timeout: default 1s Modbus, 3s DLMS (a bare number is ms)
                  --poll D           read again every D (e.g. 500ms, 2s; a bare number is seconds) until Ctrl-C
                  --times N          stop after N reads (with --poll; alone, polls every second)
                Examples:
                  bin/gateway read --tcp 192.168.1.50 --unit 1 --table input --address 0 --type float32
                  bin/gateway read --serial /dev/ttyUSB0 --unit 2 --register 30001 --type int32 --order CDAB --scale 0.1
                  bin/gateway read --tcp 192.168.1.50 --register 43028 --type float32 --count 3 --raw
                  bin/gateway read --tcp 10.0.0.9 --unit 3 --table input --address 11 --bit 0 --count 4
                  bin/gateway read --tcp 10.0.0.9 --unit 3 --address 10 --type string --length 8
                  bin/gateway read --serial /dev/ttyUSB0 --unit 5 --profile em24 --point "L1 Voltage" --poll 1s
                  bin/gateway read --dlms-tcp 192.168.1.70 --obis 1.0.32.7.0.255
                  bin/gateway read --dlms-tcp 192.168.1.70 --obis 0.0.96.1.0.255 --class 1
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        return run(args, System.out, System.err);
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(args, VALUED, FLAGS).positionalCount(0, 0, "");
        Target target = Target.parse(o, true);
        boolean modbus = target instanceof Target.Modbus;
        for (String name : modbus ? DLMS_ONLY : MODBUS_ONLY) {
            if (o.has(name)) {
                throw new IllegalArgumentException("--" + name + " is for " + (modbus ? "DLMS" : "Modbus") + " targets");
            }
        }
        if (o.has("point") && !o.has("profile")) {
            throw new IllegalArgumentException("--point picks points of a --profile");
        }
        Duration timeout = Target.timeout(o, target.readTimeout());
        Polling polling = Polling.of(o);
        DeviceProfile profile = null;
        if (o.has("profile")) {
            for (String what : List.of("address", "register", "obis")) {
                if (o.has(what)) {
                    throw new IllegalArgumentException("give --profile or --" + what + ", not both");
                }
            }
            try {
                profile = profile(o, modbus ? Protocol.MODBUS : Protocol.DLMS);
            } catch (ConfigException e) {
                err.println("gateway read: " + e.getMessage());
                return CommandSet.USAGE;
            }
        }
        List<Point> points = profile != null ? selectPoints(profile, o.all("point"))
                : modbus ? registerPoints(o) : List.of(cosemPoint(o));
        Reader reader = switch (target) {
            case Target.Modbus m -> modbusReader(m, o, timeout, profile, points);
            case Target.Dlms d -> dlmsReader(d, o, timeout, points, profile == null);
        };
        try (StopSignal stop = StopSignal.onShutdown(timeout.multipliedBy(2).plusSeconds(2)); reader) {
            return poll(reader, polling, profile != null, o.has("raw"), stop, out, err);
        }
    }

    // ---- the loop ----------------------------------------------------------------------------------------

    /** How often to read: once, or every {@code every} up to {@code times} (0 = until Ctrl-C). */
    private record Polling(Duration every, long times) {
        static Polling of(Options o) {
            Duration every = o.value("poll").map(v -> OptionText.duration("--poll", v, false)).orElse(null);
            if (every != null && every.toMillis() < 10) {
                throw new IllegalArgumentException("--poll must be at least 10ms");
            }
            long times = o.integer("times", 0, 1, Integer.MAX_VALUE);
            if (every == null && times == 0) {
                return new Polling(null, 1);
            }
            return new Polling(every == null ? Duration.ofSeconds(1) : every, times);
        }

        boolean repeats() {
            return every != null;
        }
    }

    private int poll(Reader reader, Polling polling, boolean named, boolean raw, StopSignal stop, PrintStream out,
                     PrintStream err) {
        boolean failed = false;
        for (long n = 0; polling.times() == 0 || n < polling.times(); n++) {
            if (stop.stopped()) {
                break;
            }
            long start = System.nanoTime();
            String prefix = polling.repeats() ? LocalTime.now().format(TIME) + "  " : "";
            try {
                List<Line> lines = reader.read();
                int width = lines.stream().mapToInt(l -> l.label().length()).max().orElse(0);
                for (Line l : lines) {
                    String label = named ? String.format("%-" + width + "s  ", l.label()) : l.label() + ": ";
                    out.println(prefix + label + l.value() + (raw && !l.raw().isEmpty() ? "  [" + l.raw() + "]" : ""));
                    failed |= l.invalid();
                }
            } catch (DeviceException e) {
                err.println(prefix + "gateway read: " + e.getMessage());
                failed = true;
            }
            out.flush();
            err.flush();
            boolean more = polling.repeats() && (polling.times() == 0 || n + 1 < polling.times());
            if (!more) {
                break;
            }
            Duration left = polling.every().minusNanos(System.nanoTime() - start);
            if (!left.isNegative() && !stop.sleep(left)) {
                break;
            }
        }
        if (stop.stopped()) {
            return ScanCommand.INTERRUPTED;
        }
        return failed ? 1 : 0;
    }

    /**
     * One printed value.
     *
     * @param invalid the device would not give this value (a profile point it refuses): the command exits 1
     */
    private record Line(String label, String value, String raw, boolean invalid) {
    }

    /** Reads everything asked for once; keeps its connection between polls. */
    private interface Reader extends AutoCloseable {
        List<Line> read() throws DeviceException;

        @Override
        void close();
    }

    // ---- Modbus ------------------------------------------------------------------------------------------

    private Reader modbusReader(Target.Modbus t, Options o, Duration timeout, DeviceProfile profile,
                                List<Point> points) {
        int unit = o.integer("unit", 1, t.bus() ? 1 : 0, t.bus() ? 247 : 255);
        // On RTU framings the late-reply guard (quiet time after a timeout, default 1 s) follows the timeout: a
        // meter slow enough to answer late is slow by about its timeout, and a one-off read should not wait longer.
        LinkOptions options = t.defaults().withResponseTimeout(timeout)
                .withConnectTimeout(timeout.compareTo(Duration.ofSeconds(3)) > 0 ? timeout : Duration.ofSeconds(3))
                .withLateReplyGuard(t.bus() ? timeout : Duration.ZERO);
        ModbusClient link = t.open(options);
        if (profile != null) {
            ModbusMeter meter = new ModbusMeter(link, unit, profile.limits());
            return new Reader() {
                @Override
                public List<Line> read() throws DeviceException {
                    return profileLines(meter.read(points), points, p -> "");
                }

                @Override
                public void close() {
                    link.close();
                }
            };
        }
        // Contiguous values: the plan only splits what one request cannot carry (125 registers, 2000 bits).
        List<ReadRequest> requests = new ReadPlanner(RequestLimits.DEFAULT.contiguousOnly()).plan(points).requests();
        return new Reader() {
            @Override
            public List<Line> read() throws DeviceException {
                Map<Point, Line> lines = new LinkedHashMap<>();
                points.forEach(p -> lines.put(p, null));
                for (ReadRequest r : requests) {
                    RegisterBlock block = link.read(unit, r.table(), r.start(), r.count());
                    for (Point p : r.points()) {
                        PointValue v = RegisterDecoder.decode(p, block);
                        // A NaN is not a failure: the device answered, and many send NaN for "not available".
                        lines.put(p, new Line(p.name(), show(v), rawWords((ModbusAddress) p.address(), block), false));
                    }
                }
                return new ArrayList<>(lines.values());
            }

            @Override
            public void close() {
                link.close();
            }
        };
    }

    /** The points of --address/--register and the options that say how to decode them. */
    static List<Point> registerPoints(Options o) {
        if (o.has("address") == o.has("register")) {
            throw new IllegalArgumentException(o.has("address") ? "give --address (0-based) or --register (1-based), "
                    + "not both" : "say what to read: --address N (0-based) or --register N (manual number, from 1), "
                    + "or --profile NAME");
        }
        Table table = o.value("table").map(v -> OptionText.parse("--table", v, Table::parse)).orElse(null);
        int address;
        if (o.has("address")) {
            address = o.integer("address", 0, 0, 0xFFFF);
            table = table == null ? Table.HOLDING : table;
        } else {
            int register = o.integer("register", 1, 1, 465_536);
            Table implied = null;
            // The profiles' rule: 6-digit numbers always carry their table; 5-digit 3xxxx/4xxxx unless a table is given.
            if (register >= 300_001 && register <= 365_536) {
                implied = Table.INPUT;
                register -= 300_000;
            } else if (register >= 400_001 && register <= 465_536) {
                implied = Table.HOLDING;
                register -= 400_000;
            } else if (register >= 30_001 && register <= 39_999 && table == null) {
                implied = Table.INPUT;
                register -= 30_000;
            } else if (register >= 40_001 && register <= 49_999 && table == null) {
                implied = Table.HOLDING;
                register -= 40_000;
            }
            if (register > 65_536) {
                throw new IllegalArgumentException("--register " + o.required("register") + " is out of range");
            }
            if (implied != null && table != null && implied != table) {
                throw new IllegalArgumentException("--register " + o.required("register") + " is in the "
                        + implied.configName() + " registers but --table says " + table.configName());
            }
            table = implied != null ? implied : table == null ? Table.HOLDING : table;
            address = register - 1;
        }
        int bit = o.integer("bit", -1, 0, 15);
        DataType type = o.value("type").map(v -> OptionText.parse("--type", v, DataType::parse))
                .orElse(table.isBits() || bit >= 0 ? DataType.BOOL : DataType.UINT16);
        if (table.isBits() && type != DataType.BOOL) {
            throw new IllegalArgumentException(table.configName() + " values are bits: --type bool (or leave it out)");
        }
        if (table.isBits() && bit >= 0) {
            throw new IllegalArgumentException("--bit is for a bool inside a register; a " + table.configName()
                    + " is one bit already");
        }
        if (!table.isBits() && type == DataType.BOOL && bit < 0) {
            throw new IllegalArgumentException("a bool in a register needs --bit 0-15");
        }
        if (bit >= 0 && type != DataType.BOOL) {
            throw new IllegalArgumentException("--bit is for --type bool");
        }
        int length = o.integer("length", 0, 1, 125);
        if (type == DataType.STRING && length == 0) {
            throw new IllegalArgumentException("--type string needs --length N (registers, two characters each)");
        }
        if (type != DataType.STRING && length != 0) {
            throw new IllegalArgumentException("--length is for --type string");
        }
        WordOrder order = OptionText.parse("--order", o.value("order", "ABCD"), WordOrder::parse);
        Scaling scaling = Scaling.NONE;
        if (o.has("scale")) {
            try {
                scaling = new Scaling(new BigDecimal(o.required("scale").trim()), BigDecimal.ZERO);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--scale must be a number such as 0.1, got '" + o.required("scale")
                        + "'");
            }
            if (type == DataType.BOOL || type == DataType.STRING) {
                throw new IllegalArgumentException("--scale is for numbers, not " + type.configName());
            }
        }
        int count = o.integer("count", 1, 1, table.isBits() ? 2000 : 125 * 8);
        List<Point> points = new ArrayList<>(count);
        int at = address;
        int atBit = bit;
        for (int i = 0; i < count; i++) {
            ModbusAddress a;
            try {
                a = new ModbusAddress(table, at, type, order, table.isBits() ? -1 : atBit, length);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("value " + (i + 1) + " of " + count + ": " + e.getMessage());
            }
            points.add(new Point(label(a, scaling), a, scaling, Point.AS_DECODED, "", BigDecimal.ZERO, Map.of(), "",
                    ""));
            if (type == DataType.BOOL && !table.isBits()) {
                atBit++;
                if (atBit == 16) {
                    atBit = 0;
                    at++;
                }
            } else {
                at += a.size();
            }
        }
        return points;
    }

    /** "input 0x0000 (30001) float32 ABCD", "input 0x000B (30012) bool bit 3", "holding 0x000A (40011) string[8]". */
    private static String label(ModbusAddress a, Scaling scaling) {
        StringBuilder b = new StringBuilder(a.table().configName()).append(' ')
                .append(String.format(Locale.ROOT, "0x%04X", a.address())).append(" (").append(manual(a))
                .append(") ").append(a.type().configName());
        if (a.type().words() > 1 || (a.type() == DataType.STRING && a.order().swapBytes())) {
            b.append(' ').append(a.order());
        }
        if (a.bit() >= 0) {
            b.append(" bit ").append(a.bit());
        }
        if (a.type() == DataType.STRING) {
            b.append('[').append(a.length()).append(']');
        }
        if (!scaling.isIdentity()) {
            b.append(" x").append(scaling.factor().toPlainString());
        }
        return b.toString();
    }

    /** The manual's 1-based number: 00001 coils, 10001 discrete inputs, 30001 input, 40001 holding registers. */
    static String manual(ModbusAddress a) {
        int digit = switch (a.table()) {
            case COIL -> 0;
            case DISCRETE_INPUT -> 1;
            case INPUT -> 3;
            case HOLDING -> 4;
        };
        int n = a.address() + 1;
        return n <= 9999 ? String.format(Locale.ROOT, "%d%04d", digit, n) : String.format(Locale.ROOT, "%d%05d", digit, n);
    }

    private static String rawWords(ModbusAddress a, RegisterBlock block) {
        if (a.table().isBits()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(String.format(Locale.ROOT, "%04X", block.register(a.address() + i)));
        }
        return b.toString();
    }

    /** A decoded value as mbpoll users expect it: the number, 1/0 for bits, quoted text. */
    static String show(PointValue v) {
        return switch (v) {
            case PointValue.Number n -> number(n.value());
            case PointValue.Flag f -> f.on() ? "1" : "0";
            case PointValue.Text t -> "\"" + t.text() + "\"";
            case PointValue.Invalid i -> "invalid (" + i.reason() + ")";
        };
    }

    /**
     * Plain digits as decoded, except for magnitudes where they would run off the screen (a float read with the
     * wrong word order).
     */
    static String number(BigDecimal v) {
        BigDecimal abs = v.abs();
        if (abs.signum() != 0 && (abs.compareTo(new BigDecimal("1e-6")) < 0 || abs.compareTo(new BigDecimal("1e15")) >= 0)) {
            return v.round(new java.math.MathContext(7)).toString();
        }
        // Trailing zeros stay: 50.00 Hz from a meter with scaler -2 says how fine it measures.
        return v.toPlainString();
    }

    // ---- profiles ----------------------------------------------------------------------------------------

    private static DeviceProfile profile(Options o, Protocol protocol) {
        var catalog = ProfilesCommand.catalog(o);
        String name = o.required("profile");
        DeviceProfile p = catalog.find(name).orElseThrow(() -> new IllegalArgumentException("unknown profile '" + name
                + "' (known: " + String.join(", ", catalog.names()) + ")"));
        if (p.protocol() != protocol) {
            throw new IllegalArgumentException("profile " + name + " is " + p.protocol().configName() + "; this target is "
                    + protocol.configName());
        }
        return p;
    }

    private static List<Point> selectPoints(DeviceProfile profile, List<String> names) {
        if (names.isEmpty()) {
            return profile.points();
        }
        List<Point> out = new ArrayList<>();
        for (String n : names) {
            out.add(profile.point(n).orElseThrow(() -> new IllegalArgumentException("profile " + profile.name()
                    + " has no point '" + n + "' (points: " + String.join(", ", profile.points().stream()
                    .map(Point::name).toList()) + ")")));
        }
        return out;
    }

    private interface UnitLookup {
        String unitOf(Point p);
    }

    private static List<Line> profileLines(Map<Point, PointValue> values, List<Point> points, UnitLookup meterUnit) {
        List<Line> lines = new ArrayList<>();
        for (Point p : points) {
            PointValue v = values.get(p);
            if (v instanceof PointValue.Invalid i) {
                lines.add(new Line(p.name(), "unreadable: " + i.reason(), "", true));
                continue;
            }
            String shown = p.decimals() == Point.AS_DECODED && v instanceof PointValue.Number n ? number(n.value())
                    : p.display(v);
            String unit = meterUnit.unitOf(p);
            if (p.unit().isEmpty() && !unit.isEmpty() && v instanceof PointValue.Number) {
                shown = shown + " " + unit;
            }
            lines.add(new Line(p.name(), shown, "", false));
        }
        return lines;
    }

    // ---- DLMS --------------------------------------------------------------------------------------------

    private static Point cosemPoint(Options o) {
        String text = o.value("obis").orElseThrow(() -> new IllegalArgumentException(
                "say what to read: --obis A.B.C.D.E.F (e.g. 1.0.32.7.0.255), or --profile NAME"));
        ObisCode obis;
        try {
            obis = ObisCode.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--obis wants six numbers such as 1.0.32.7.0.255, got '" + text + "'");
        }
        CosemAddress a = new CosemAddress(o.integer("class", 3, 0, 0xFFFF), obis, o.integer("attribute", 2, 1, 127));
        // No unit: the meter's own (from scaler_unit) is shown, unconverted. Decimals as the meter sent them.
        return new Point(a.describe(), a, Scaling.NONE, Point.AS_DECODED, "", BigDecimal.ZERO, Map.of(), "", "");
    }

    private Reader dlmsReader(Target.Dlms t, Options o, Duration timeout, List<Point> points, boolean single) {
        DlmsSettings.Builder b = t.settings(timeout);
        int defaultClient = 16;
        boolean keys = o.has("ek") || o.has("ak") || o.has("system-title");
        if (o.has("password") && keys) {
            throw new IllegalArgumentException("give --password (LLS) or --ek/--ak/--system-title (HLS-GMAC), not both");
        }
        if (o.has("password")) {
            b.lls(o.required("password"));
            defaultClient = 32;
        } else if (keys) {
            b.hlsGmac(hex(o, "ek", 16), hex(o, "ak", 16), hex(o, "system-title", 8)).stateDirectory(stateDir(o));
            defaultClient = 48;
        }
        b.client(o.integer("client", defaultClient, 1, 127))
                .server(o.integer("server-logical", 1, 0, 0x3FFF), o.integer("server-physical", 0, 0, 0x3FFF), 0);
        DlmsMeter meter = new DlmsMeter(b.build());
        return new Reader() {
            @Override
            public List<Line> read() throws DeviceException {
                Map<Point, PointValue> values = meter.read(points);
                if (single && values.get(points.get(0)) instanceof PointValue.Invalid i) {
                    // For one object asked by hand the data-access-result is the answer: an error line, exit 1.
                    throw new RejectedException(i.reason(), -1);
                }
                return profileLines(values, points, p -> meter.meterUnit(p).orElse(""));
            }

            @Override
            public void close() {
                meter.close();
            }
        };
    }

    /** A key option as bytes. The value is never echoed: it is a secret. */
    private static byte[] hex(Options o, String name, int bytes) {
        String v = o.value(name).orElseThrow(() -> new IllegalArgumentException("HLS-GMAC needs --ek, --ak and "
                + "--system-title; --" + name + " is missing"));
        try {
            byte[] b = HexFormat.of().parseHex(v.trim().replace(" ", ""));
            if (b.length == bytes) {
                return b;
            }
        } catch (IllegalArgumentException e) {
            // reported below, without the value
        }
        throw new IllegalArgumentException("--" + name + " needs " + 2 * bytes + " hex digits");
    }

    /** Where the gateway service keeps its DLMS invocation counters (state-dir/dlms). */
    static final Path SERVICE_COUNTERS = Path.of("/var/lib/gateway/dlms");

    /**
     * HLS counters must continue the ones already used under these keys: starting again at 1 would send AES-GCM
     * nonces the key has already seen. On the gateway itself, share the service's counter files (named by key and
     * system title, reserved under a file lock); elsewhere the engineer must say where the counter lives.
     */
    private static Path stateDir(Options o) {
        return o.value("state-dir").map(Path::of).orElseGet(() -> {
            if (Files.isDirectory(SERVICE_COUNTERS) && Files.isWritable(SERVICE_COUNTERS)) {
                return SERVICE_COUNTERS;
            }
            throw new IllegalArgumentException("HLS-GMAC needs the invocation counter already in use for these keys: "
                    + "run this on the gateway (it shares " + SERVICE_COUNTERS + "), or give --state-dir DIR with a "
                    + "counter ahead of any the meter has seen; starting over would reuse AES-GCM nonces");
        });
    }
}
