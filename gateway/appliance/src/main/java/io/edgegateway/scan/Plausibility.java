package io.edgegateway.scan;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a real value of a point looks like, judged from its {@code quantity} tag and unit: mains frequency is
 * 45-65 Hz, a phase voltage 80-500 V, a power factor within ±1, a percentage 0-100, an enum one of its labels.
 *
 * <p>This is what tells register maps apart. A value read with the wrong map is almost never plausible: an EM24's
 * int32 2301 (230.1 V, low word first) read as an Eastron float32 is 1.5E-33 V, an Eastron float read as EM24
 * int32 is some 43 million volts, a PLC's tank level register read as a float is about 1E-37. So a few points per
 * profile decide: frequency and voltages (narrow ranges that exclude 0, so they <em>support</em> a profile) and a
 * non-empty name tag; currents, powers, power factors, energies, percentages and enums only
 * <em>contradict</em> (0 A fits anything). Bits are never used: any bit reads as 0 or 1.
 *
 * <p>Values are compared in base units after converting the point's prefixed unit (kV, kWh, kW).
 */
public final class Plausibility {

    /** Strong points read per profile: enough to tell three phases from one, not enough to be slow on RS-485. */
    static final int MAX_STRONG = 4;
    /** Weak points read per profile, one per family (current, power, pf...), to catch a wrong encoding. */
    static final int MAX_WEAK = 3;

    /** The order strong evidence is read in: the most telling first, since a profile stops at its first misfit. */
    private static final List<String> PRIORITY = List.of("voltage.l1", "frequency", "voltage.l2", "voltage.l3");

    private static final Span FREQUENCY = new Span("frequency", 45, 65, List.of("Hz"), true);
    private static final Span PHASE_VOLTAGE = new Span("voltage", 80, 500, List.of("V"), true);
    private static final Span LINE_VOLTAGE = new Span("voltage", 140, 870, List.of("V"), true);
    private static final Span CURRENT = new Span("current", -100_000, 100_000, List.of("A"), false);
    private static final Span POWER = new Span("power", -1e9, 1e9, List.of("W", "VA", "var", "VAr"), false);
    private static final Span POWER_FACTOR = new Span("pf", -1.001, 1.001, List.of(""), false);
    private static final Span ANGLE = new Span("angle", -360, 360, List.of("°", "deg"), false);
    private static final Span ENERGY = new Span("energy", 0, 1e13, List.of("Wh", "varh", "VArh", "VAh"), false);
    private static final Span THD = new Span("thd", 0, 1000, List.of("%"), false);
    private static final Span PERCENT = new Span("percent", 0, 100, List.of("%"), false);
    private static final Span CELSIUS = new Span("temperature", -60, 150, List.of("°C"), false);

    /**
     * The points of {@code profile} worth reading to test it, most telling first: up to {@value #MAX_STRONG} strong
     * ones (voltages, frequency, name tags), then up to {@value #MAX_WEAK} weak ones of different families.
     */
    public List<Point> evidencePoints(DeviceProfile profile) {
        List<Point> strong = new ArrayList<>();
        List<Point> weak = new ArrayList<>();
        Set<String> families = new LinkedHashSet<>();
        for (Point p : profile.points()) {
            Check c = check(p);
            if (c == null) {
                continue;
            }
            if (c.strong()) {
                strong.add(p);
            } else if (families.add(c.family())) {
                weak.add(p);
            }
        }
        strong.sort(Comparator.comparingInt(p -> {
            int i = PRIORITY.indexOf(p.quantity());
            return i < 0 ? PRIORITY.size() : i;
        }));
        List<Point> out = new ArrayList<>(strong.subList(0, Math.min(MAX_STRONG, strong.size())));
        out.addAll(weak.subList(0, Math.min(MAX_WEAK, weak.size())));
        return out;
    }

    /** Judges one value of {@code point}. A point nothing is known about is {@link Verdict.Consistent}. */
    public Verdict judge(Point point, PointValue value) {
        Check c = check(point);
        String name = point.name();
        if (value instanceof PointValue.Invalid i) {
            return new Verdict.Contradicts(name + ": " + i.reason());
        }
        if (c == null) {
            String shown = point.display(value);
            return new Verdict.Consistent(name + " " + shown);
        }
        return switch (c) {
            case Span s -> judgeNumber(point, value, s);
            case Labels l -> switch (value) {
                case PointValue.Number n when point.label(n.value()) != null ->
                        new Verdict.Consistent(name + " " + point.label(n.value()));
                case PointValue.Number n -> new Verdict.Contradicts(name + " " + compact(n.value())
                        + " is none of its states " + point.labels().keySet().stream().sorted().toList());
                default -> new Verdict.Contradicts(name + " is not a number: " + value);
            };
            case Tag t -> switch (value) {
                case PointValue.Text text when text.text().isEmpty() -> new Verdict.Consistent(name + " (empty)");
                case PointValue.Text text when printable(text.text()) ->
                        new Verdict.Supports(name + " \"" + text.text() + "\"");
                case PointValue.Text text -> new Verdict.Contradicts(name + " \"" + text.text()
                        + "\" is not text (unprintable bytes)");
                default -> new Verdict.Contradicts(name + " is not text: " + value);
            };
        };
    }

    private static Verdict judgeNumber(Point point, PointValue value, Span s) {
        if (!(value instanceof PointValue.Number n)) {
            return new Verdict.Contradicts(point.name() + " is not a number: " + value);
        }
        BigDecimal base = n.value().scaleByPowerOfTen(s.prefixExponent(point.unit()));
        boolean inside = base.compareTo(s.min()) >= 0 && base.compareTo(s.max()) <= 0;
        if (!inside) {
            return new Verdict.Contradicts(point.name() + " " + withUnit(compact(n.value()), point.unit())
                    + " is outside " + s.describe());
        }
        String shown = point.name() + " " + point.display(value);
        return s.strong() ? new Verdict.Supports(shown) : new Verdict.Consistent(shown);
    }

    /** How {@code point} is judged, or null when it says nothing (no known quantity or unit, or a bit). */
    Check check(Point point) {
        if (point.isBit()) {
            return null;
        }
        if (point.address() instanceof ModbusAddress a && a.type() == DataType.STRING) {
            return new Tag();
        }
        if (!point.labels().isEmpty()) {
            return new Labels();
        }
        Span s = span(point.quantity(), point.unit());
        return s != null && s.prefixExponent(point.unit()) != Span.NO_MATCH ? s : null;
    }

    private static Span span(String quantity, String unit) {
        switch (quantity) {
            case "frequency" -> {
                return FREQUENCY;
            }
            case "voltage.l1", "voltage.l2", "voltage.l3", "voltage.ln.avg" -> {
                return PHASE_VOLTAGE;
            }
            case "voltage.l12", "voltage.l23", "voltage.l31", "voltage.ll.avg" -> {
                return LINE_VOLTAGE;
            }
            default -> {
            }
        }
        if (quantity.startsWith("current.")) {
            return CURRENT;
        }
        if (quantity.startsWith("power.") || quantity.startsWith("demand.power")) {
            return POWER;
        }
        if (quantity.startsWith("pf.")) {
            return POWER_FACTOR;
        }
        if (quantity.startsWith("angle.")) {
            return ANGLE;
        }
        if (quantity.startsWith("energy.")) {
            return ENERGY;
        }
        if (quantity.startsWith("thd.")) {
            return THD;
        }
        return switch (unit) {
            case "%" -> PERCENT;
            case "°C" -> CELSIUS;
            default -> null;
        };
    }

    private static boolean printable(String s) {
        // The decoder shows bytes outside printable ASCII as '?': registers holding numbers read as text do that.
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '?');
    }

    /** A number short enough for a message, without hiding that it is absurd: 230.1, 1.504E-33, 4.295E+8. */
    static String compact(BigDecimal v) {
        BigDecimal abs = v.abs();
        if (abs.signum() == 0 || (abs.compareTo(new BigDecimal("0.001")) >= 0 && abs.compareTo(new BigDecimal("1e7")) < 0)) {
            BigDecimal r = v.round(new MathContext(6)).stripTrailingZeros();
            return (r.scale() < 0 ? r.setScale(0) : r).toPlainString();
        }
        return v.round(new MathContext(4)).toString();
    }

    private static String plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    private static String withUnit(String number, String unit) {
        return unit.isEmpty() ? number : number + " " + unit;
    }

    /** How one point is judged. */
    sealed interface Check permits Span, Labels, Tag {
        boolean strong();

        String family();
    }

    /**
     * A plausible range in base units.
     *
     * @param units the base units the range is in; a point's unit must be one of them, possibly with a k/M/G/m
     *              prefix ("" for dimensionless)
     */
    record Span(String family, BigDecimal min, BigDecimal max, List<String> units, boolean strong) implements Check {

        static final int NO_MATCH = Integer.MIN_VALUE;

        Span(String family, double min, double max, List<String> units, boolean strong) {
            this(family, new BigDecimal(Double.toString(min)), new BigDecimal(Double.toString(max)), units, strong);
        }

        /** The power of ten from {@code unit} to the base unit (kWh → 3), or {@link #NO_MATCH}. */
        int prefixExponent(String unit) {
            if (units.contains(unit)) {
                return 0;
            }
            if (unit.length() > 1 && units.contains(unit.substring(1))) {
                return switch (unit.charAt(0)) {
                    case 'k' -> 3;
                    case 'M' -> 6;
                    case 'G' -> 9;
                    case 'm' -> -3;
                    default -> NO_MATCH;
                };
            }
            return NO_MATCH;
        }

        String describe() {
            String range = plain(min) + ".." + plain(max);
            return units.get(0).isEmpty() ? range : range + " " + String.join("/", units);
        }
    }

    /** An enum: the raw value must be one of its labels. */
    record Labels() implements Check {
        @Override
        public boolean strong() {
            return false;
        }

        @Override
        public String family() {
            return "labels";
        }
    }

    /** A name or tag string: non-empty printable text is telling; unprintable bytes mean numbers, not text. */
    record Tag() implements Check {
        @Override
        public boolean strong() {
            return true;
        }

        @Override
        public String family() {
            return "text";
        }
    }
}
