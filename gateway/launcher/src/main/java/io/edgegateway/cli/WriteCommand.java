package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.MeterReader;
import io.edgegateway.device.RejectedException;
import io.edgegateway.device.UnsuitableValueException;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.Protocol;
import io.edgegateway.write.BusWriter;
import io.edgegateway.write.ValueCheck;
import io.edgegateway.write.WriteOutcome;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/gateway write}: one writable point of a profile, set on a device directly (no gateway running), with
 * the gateway's own checks ({@link ValueCheck}), then read back.
 */
final class WriteCommand implements Command {

    private static final Set<String> VALUED = OptionText.union(Target.VALUED, DlmsOptions.VALUED, Set.of("unit",
            "profile", "profiles", "point", "value"));

    @Override
    public String name() {
        return "write";
    }

    @Override
    public String summary() {
        return "set a writable point (setpoint, command) of a device by hand, checked as the gateway checks, read back";
    }

    @Override
    public String help() {
        return """
                bin/gateway write TARGET --unit N --profile NAME --point NAME --value V
                bin/gateway write DLMS-TARGET --profile NAME --point NAME --value V [security]
                  Writes one point the profile marks writable, after the gateway's checks (range, step, type),
                  straight to the device: stop the gateway's polling of that line first on RS-485, where two
                  masters collide. Reads the point before and after, and prints both. A refused value exits 2
                  with the reason; a device that refuses or does not answer exits 1.
                TARGET, DLMS-TARGET and security: as for bin/gateway read.
                  --unit N          Modbus unit id (default 1)
                  --profile NAME    the device's profile (plc, or one of --profiles DIR)
                  --point NAME      the point's name as readings show it, e.g. "Pump Speed Setpoint"
                  --value V         a number; true/false (or 1/0, or a label such as ON) for a coil; a label
                                    (AUTO) or its number for a labelled point
                  --timeout T       answer timeout (default 1s Modbus, 3s DLMS)
                Modbus writes use FC05 for a coil, FC06 for a one-register value, FC16 for longer types; a
                bool inside a holding register is read, changed and written back (FC03, FC06).
                Examples:
                  bin/gateway write --tcp 10.0.0.9 --unit 1 --profile plc --point "Pump Speed Setpoint" --value 55
                  bin/gateway write --serial /dev/ttyUSB0 --unit 3 --profile plc --point "Operating Mode" --value AUTO
                  bin/gateway write --tcp 10.0.0.9 --profile plc --point "Pump Enable" --value off
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(args, VALUED, Target.FLAGS).positionalCount(0, 0, "");
        Target target = Target.parse(o, true);
        boolean modbus = target instanceof Target.Modbus;
        if (!modbus && o.has("unit")) {
            throw new IllegalArgumentException("--unit is for Modbus targets");
        }
        DeviceProfile profile;
        try {
            profile = PointOptions.profile(o, modbus ? Protocol.MODBUS : Protocol.DLMS);
        } catch (ConfigException e) {
            err.println("gateway write: " + e.getMessage());
            return CommandSet.USAGE;
        }
        Point point = PointOptions.select(profile, List.of(o.required("point"))).get(0);
        PointValue value;
        try {
            value = ValueCheck.accept(point, ValueCheck.parse(o.required("value")));
        } catch (ValueCheck.Refusal r) {
            err.println("gateway write: " + r.refused().code() + ": " + r.getMessage());
            return CommandSet.USAGE;
        }
        Duration timeout = Target.timeout(o, target.readTimeout());
        try (MeterReader device = open(target, o, timeout, profile)) {
            PointValue before;
            try {
                before = device.read(List.of(point)).get(point);
            } catch (RejectedException e) {
                before = new PointValue.Invalid(e.getMessage());
            }
            device.write(point, value);
            PointValue after = device.read(List.of(point)).get(point);
            out.println(point.name() + ": " + shown(point, before) + " -> " + shown(point, after) + " (wrote "
                    + o.required("value").trim() + " on " + target.describe() + ")");
            return 0;
        } catch (DeviceException e) {
            WriteOutcome.Refused r = BusWriter.refusal(point, e);
            err.println("gateway write: " + r.code() + ": " + r.message());
            return 1;
        } catch (UnsuitableValueException e) {
            WriteOutcome.Refused r = BusWriter.unsuitable(e);
            err.println("gateway write: " + r.code() + ": " + r.message());
            return CommandSet.USAGE; // the value was wrong, as for the checks above
        }
    }

    private static String shown(Point point, PointValue v) {
        String s = point.display(v);
        return s != null ? s : "(unreadable: " + ((PointValue.Invalid) v).reason() + ")";
    }

    /** A unit on a link of its own: closing it closes the link, which a gateway's meter would share. */
    private record OwnLink(ModbusMeter meter, ModbusClient link) implements MeterReader {
        @Override
        public Map<Point, PointValue> read(List<Point> points) throws DeviceException {
            return meter.read(points);
        }

        @Override
        public void write(Point point, PointValue value) throws DeviceException {
            meter.write(point, value);
        }

        @Override
        public void close() {
            link.close();
        }
    }

    private static MeterReader open(Target target, Options o, Duration timeout, DeviceProfile profile) {
        return switch (target) {
            case Target.Modbus t -> {
                int unit = o.integer("unit", 1, t.bus() ? 1 : 0, t.bus() ? 247 : 255);
                // As bin/gateway read: the connect timeout at least 3 s, the late-reply guard following the timeout.
                LinkOptions options = t.defaults().withResponseTimeout(timeout)
                        .withConnectTimeout(timeout.compareTo(Duration.ofSeconds(3)) > 0 ? timeout
                                : Duration.ofSeconds(3))
                        .withLateReplyGuard(t.bus() ? timeout : Duration.ZERO);
                ModbusClient link = t.open(options);
                yield new OwnLink(new ModbusMeter(link, unit, profile.limits()), link);
            }
            case Target.Dlms d -> new DlmsMeter(DlmsOptions.apply(o, d.settings(timeout)).build());
        };
    }
}
