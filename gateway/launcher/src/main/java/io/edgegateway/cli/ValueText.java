package io.edgegateway.cli;

import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code bin/gateway read} prints what it read: one {@link Line} per value, as mbpoll users expect. */
final class ValueText {

    private ValueText() {
    }

    /**
     * One printed value.
     *
     * @param invalid the device would not give this value (a profile point it refuses): the command exits 1
     */
    record Line(String label, String value, String raw, boolean invalid) {
    }

    static String rawWords(ModbusAddress a, RegisterBlock block) {
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
            return v.round(new MathContext(7)).toString();
        }
        // Trailing zeros stay: 50.00 Hz from a meter with scaler -2 says how fine it measures.
        return v.toPlainString();
    }

    interface UnitLookup {
        String unitOf(Point p);
    }

    static List<Line> profileLines(Map<Point, PointValue> values, List<Point> points, UnitLookup meterUnit) {
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

}
