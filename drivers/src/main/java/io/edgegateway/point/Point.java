package io.edgegateway.point;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;

/**
 * One named value of a device, as a profile or config defines it.
 *
 * @param name     display name, the key in a reading (e.g. "L1 Voltage")
 * @param address  where the raw value lives on the device
 * @param scaling  raw to engineering value
 * @param decimals digits after the point in a reading; {@link #AS_DECODED} keeps the value's own precision
 * @param unit     unit shown after the number ("V", "kWh"); empty for none
 * @param deadband a new value is reported only when it moved more than this from the last reported one; 0 reports
 *                 every change visible at {@code decimals}
 * @param labels   raw integer values shown as text (state words, enums); empty for plain numbers
 * @param group    poll group name ("" = the device's own interval); a device may poll groups at other rates
 * @param quantity what is measured, from a small shared vocabulary (e.g. {@code voltage.l1},
 *                 {@code energy.active.import}); lets simulators and bus scans treat any profile alike; "" if none
 * @param write    what a write may set it to, or null for a point that is read only (the default)
 */
public record Point(String name, PointAddress address, Scaling scaling, int decimals, String unit,
                    BigDecimal deadband, Map<Long, String> labels, String group, String quantity, WriteRange write) {

    /** Decimals value meaning "as many as the decoded value carries". */
    public static final int AS_DECODED = -1;

    public Point {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a point needs a name");
        }
        Objects.requireNonNull(address, "address");
        scaling = scaling == null ? Scaling.NONE : scaling;
        if (decimals < AS_DECODED || decimals > 12) {
            throw new IllegalArgumentException("decimals must be 0..12, got " + decimals);
        }
        unit = unit == null ? "" : unit.trim();
        deadband = deadband == null ? BigDecimal.ZERO : deadband;
        if (deadband.signum() < 0) {
            throw new IllegalArgumentException("deadband must not be negative");
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        group = group == null ? "" : group.trim();
        quantity = quantity == null ? "" : quantity.trim();
    }

    /** A point that is read only. */
    public Point(String name, PointAddress address, Scaling scaling, int decimals, String unit, BigDecimal deadband,
                 Map<Long, String> labels, String group, String quantity) {
        this(name, address, scaling, decimals, unit, deadband, labels, group, quantity, null);
    }

    /** Whether its value is one bit: a coil, a discrete input, or a bit of a register. */
    public boolean isBit() {
        return address instanceof ModbusAddress a && a.type() == DataType.BOOL;
    }

    /** Whether a profile marked it {@code writable: true}. */
    public boolean writable() {
        return write != null;
    }

    /** A point with defaults: no scaling, 2 decimals, no deadband, no labels, default group. */
    public static Point of(String name, PointAddress address, String unit) {
        return new Point(name, address, Scaling.NONE, 2, unit, BigDecimal.ZERO, Map.of(), "", "");
    }

    /**
     * The value as a reading shows it: number with this point's decimals, a space and the unit; a label for
     * labelled values; text as is. Returns null for an {@link PointValue.Invalid} value, which a reading omits.
     */
    public String display(PointValue value) {
        return switch (value) {
            case PointValue.Number n -> {
                String label = label(n.value());
                if (label != null) {
                    yield label;
                }
                yield unit.isEmpty() ? number(n.value()) : number(n.value()) + " " + unit;
            }
            case PointValue.Flag f -> {
                String label = labels.get(f.on() ? 1L : 0L);
                yield label != null ? label : (f.on() ? "1" : "0");
            }
            case PointValue.Text t -> t.text();
            case PointValue.Invalid i -> null;
        };
    }

    /** The number as shown, without unit: rounded half-up to {@code decimals}. */
    public String number(BigDecimal value) {
        if (decimals == AS_DECODED) {
            BigDecimal stripped = value.stripTrailingZeros();
            return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
        }
        return value.setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    /** The label of an integral value, or null when none applies. */
    public String label(BigDecimal value) {
        if (labels.isEmpty() || value.stripTrailingZeros().scale() > 0) {
            return null;
        }
        try {
            return labels.get(value.longValueExact());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * Whether {@code now} is a change worth reporting against the last reported value {@code before}:
     * the shown text differs and, for numbers with a deadband, the move exceeds it.
     */
    public boolean changed(PointValue before, PointValue now) {
        if (before == null) {
            return now != null;
        }
        // Numbers without labels are compared as shown without rendering text: this runs for every point of every
        // poll, and building the two strings was most of a poll's cost.
        if (labels.isEmpty() && before instanceof PointValue.Number b && now instanceof PointValue.Number n) {
            int clear = clearChange(b.value(), n.value());
            if (clear != UNSURE) {
                return clear == CHANGED;
            }
            if (deadband.signum() > 0 && n.value().subtract(b.value()).abs().compareTo(deadband) <= 0) {
                return false;
            }
            return decimals == AS_DECODED ? b.value().compareTo(n.value()) != 0
                    : b.value().setScale(decimals, RoundingMode.HALF_UP)
                            .compareTo(n.value().setScale(decimals, RoundingMode.HALF_UP)) != 0;
        }
        if (!Objects.equals(display(before), display(now))) {
            if (deadband.signum() > 0 && before instanceof PointValue.Number b && now instanceof PointValue.Number n) {
                return n.value().subtract(b.value()).abs().compareTo(deadband) > 0;
            }
            return true;
        }
        return false;
    }

    private static final int SAME = 0;
    private static final int CHANGED = 1;
    private static final int UNSURE = 2;
    /** 10^-d as the nearest double, for d = 0..12 decimals. */
    private static final double[] STEPS = {1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11,
            1e-12};
    /** Relative bound on what converting, subtracting and dividing in binary floating point can be off by. */
    private static final double SLACK = 0x1p-45;

    /**
     * Decides {@link #changed} for two numbers in binary floating point where that is certain, and says
     * {@link #UNSURE} where a value lies within rounding error of a deadband's edge or of a half step of the
     * shown digits; the exact decimal rule decides those. It runs for every point of every poll, and the decimal
     * arithmetic it saves was a tenth of a poll's cost.
     */
    private int clearChange(BigDecimal before, BigDecimal now) {
        if (before.equals(now)) {
            return SAME; // same digits, same scale: shown alike
        }
        double x = before.doubleValue();
        double y = now.doubleValue();
        double band = deadband.doubleValue();
        double moved = Math.abs(y - x);
        double error = (Math.abs(x) + Math.abs(y) + band) * SLACK;
        if (band > 0) {
            if (moved < band - error) {
                return SAME;
            }
            if (moved <= band + error) {
                return UNSURE;
            }
        }
        if (decimals == AS_DECODED) {
            return UNSURE;
        }
        double rx = x / STEPS[decimals];
        double ry = y / STEPS[decimals];
        if (!clearOfHalf(rx) || !clearOfHalf(ry)) {
            return UNSURE;
        }
        // Away from a tie every rounding rule agrees with half-up, and the shown values are these integers.
        return Math.floor(rx + 0.5) != Math.floor(ry + 0.5) ? CHANGED : SAME;
    }

    /** Whether {@code r}, a value in units of the last shown digit, is surely not within rounding error of a .5. */
    private static boolean clearOfHalf(double r) {
        if (Math.abs(r) > 0x1p40) {
            return false; // too large for the fraction to be trusted
        }
        double fraction = r - Math.floor(r);
        return Math.abs(fraction - 0.5) > (Math.abs(r) + 1) * SLACK;
    }

    /**
     * From the name and address alone (points that are equal have both equal): the record's own hash walks
     * every field, labels and deadband included, and maps keyed by points took it on every poll.
     */
    @Override
    public int hashCode() {
        return 31 * name.hashCode() + address.hashCode();
    }

    public Point withGroup(String newGroup) {
        return new Point(name, address, scaling, decimals, unit, deadband, labels, newGroup, quantity, write);
    }
}
