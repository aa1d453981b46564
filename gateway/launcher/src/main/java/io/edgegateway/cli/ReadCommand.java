package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.device.DeviceException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.point.Point;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.Protocol;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code bin/gateway read}: one register range or one COSEM attribute, decoded with the gateway's own decoders. */
final class ReadCommand implements Command {

    private static final Set<String> MODBUS_ONLY = Set.of("unit", "table", "address", "register", "type", "order",
            "count", "scale", "bit", "length", "raw");
    private static final Set<String> DLMS_ONLY = OptionText.union(DlmsOptions.VALUED, Set.of("obis", "class",
            "attribute", "profile-generic", "from", "to"));
    private static final Set<String> VALUED = OptionText.union(Target.VALUED, DLMS_ONLY, Set.of("unit", "table",
            "address", "register", "type", "order", "count", "scale", "bit", "length", "poll", "times", "profile",
            "profiles", "point"));
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
                bin/gateway read DLMS-TARGET --profile-generic A.B.99.D.E.F [--from T] [--to T] [security]
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
                  --profile-generic CODE
                                     read a load profile or event log (1.0.99.1.0.255, 0.0.99.98.0.255) by range
                                     on its clock column: one line per row, scaled, in the meter's units
                  --from T --to T    the range, ISO-8601 UTC (default: the last 24 hours)
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
                  bin/gateway read --dlms-tcp 192.168.1.70 --profile-generic 1.0.99.1.0.255 --from 2026-12-01T00:00:00Z
                """;
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
        if (o.has("profile-generic") || o.has("from") || o.has("to")) {
            return profileGeneric(o, (Target.Dlms) target, timeout, out, err);
        }
        Polling polling = Polling.of(o);
        DeviceProfile profile = null;
        if (o.has("profile")) {
            for (String what : List.of("address", "register", "obis")) {
                if (o.has(what)) {
                    throw new IllegalArgumentException("give --profile or --" + what + ", not both");
                }
            }
            try {
                profile = PointOptions.profile(o, modbus ? Protocol.MODBUS : Protocol.DLMS);
            } catch (ConfigException e) {
                err.println("gateway read: " + e.getMessage());
                return CommandSet.USAGE;
            }
        }
        List<Point> points = profile != null ? PointOptions.select(profile, o.all("point"))
                : modbus ? PointOptions.registers(o) : List.of(PointOptions.cosem(o));
        ManualReader reader = switch (target) {
            case Target.Modbus m -> modbusReader(m, o, timeout, profile, points);
            case Target.Dlms d -> ManualReader.dlms(DlmsOptions.apply(o, d.settings(timeout)).build(), points,
                    profile == null);
        };
        try (StopSignal stop = StopSignal.onShutdown(timeout.multipliedBy(2).plusSeconds(2)); reader) {
            return poll(reader, polling, profile != null, o.has("raw"), stop, out, err);
        }
    }

    private static int profileGeneric(Options o, Target.Dlms target, Duration timeout, PrintStream out,
                                      PrintStream err) {
        String code = o.value("profile-generic").orElseThrow(() -> new IllegalArgumentException(
                "--from and --to pick the rows of a --profile-generic"));
        for (String what : List.of("obis", "profile", "poll", "times")) {
            if (o.has(what)) {
                throw new IllegalArgumentException("give --profile-generic or --" + what + ", not both");
            }
        }
        ObisCode obis;
        try {
            obis = ObisCode.parse(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--profile-generic must be an OBIS code such as 1.0.99.1.0.255, got '"
                    + code + "'");
        }
        Instant to = o.value("to").map(v -> ProfileGenericRead.time("--to", v)).orElseGet(Instant::now);
        Instant from = o.value("from").map(v -> ProfileGenericRead.time("--from", v))
                .orElse(to.minus(Duration.ofDays(1)));
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from must be before --to");
        }
        return ProfileGenericRead.run(DlmsOptions.apply(o, target.settings(timeout)).build(), obis, from, to, out, err);
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

    private int poll(ManualReader reader, Polling polling, boolean named, boolean raw, StopSignal stop, PrintStream out,
                     PrintStream err) {
        boolean failed = false;
        for (long n = 0; polling.times() == 0 || n < polling.times(); n++) {
            if (stop.stopped()) {
                break;
            }
            long start = System.nanoTime();
            String prefix = polling.repeats() ? LocalTime.now().format(TIME) + "  " : "";
            try {
                List<ValueText.Line> lines = reader.read();
                int width = lines.stream().mapToInt(l -> l.label().length()).max().orElse(0);
                for (ValueText.Line l : lines) {
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

    // ---- Modbus ------------------------------------------------------------------------------------------

    private static ManualReader modbusReader(Target.Modbus t, Options o, Duration timeout, DeviceProfile profile,
                                List<Point> points) {
        int unit = o.integer("unit", 1, t.bus() ? 1 : 0, t.bus() ? 247 : 255);
        // On RTU framings the late-reply guard (quiet time after a timeout, default 1 s) follows the timeout: a
        // meter slow enough to answer late is slow by about its timeout, and a one-off read should not wait longer.
        LinkOptions options = t.defaults().withResponseTimeout(timeout)
                .withConnectTimeout(timeout.compareTo(Duration.ofSeconds(3)) > 0 ? timeout : Duration.ofSeconds(3))
                .withLateReplyGuard(t.bus() ? timeout : Duration.ZERO);
        ModbusClient link = t.open(options);
        return profile != null ? ManualReader.profile(link, unit, profile, points)
                : ManualReader.registers(link, unit, points);
    }

}
