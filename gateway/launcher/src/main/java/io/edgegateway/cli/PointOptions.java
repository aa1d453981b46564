package io.edgegateway.cli;

import io.edgegateway.command.Options;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.RegisterNumber;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.Protocol;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code bin/gateway read} reads, from its options: registers ({@code --address}/{@code --register} with how to
 * decode them), one COSEM attribute ({@code --obis}), or a profile's points ({@code --profile}, {@code --point}).
 * Bad combinations are IllegalArgumentExceptions that name the option.
 */
final class PointOptions {

    private PointOptions() {
    }

    /** The points of --address/--register and the options that say how to decode them. */
    static List<Point> registers(Options o) {
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
            int number = o.integer("register", 1, 1, 465_536);
            RegisterNumber r;
            try {
                r = RegisterNumber.fromManual(number, table);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--register " + e.getMessage());
            }
            table = r.table();
            address = r.address();
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
                .append(String.format(Locale.ROOT, "0x%04X", a.address())).append(" (")
                .append(RegisterNumber.manual(a.table(), a.address()))
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

    static Point cosem(Options o) {
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

    static DeviceProfile profile(Options o, Protocol protocol) {
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

    static List<Point> select(DeviceProfile profile, List<String> names) {
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

}
