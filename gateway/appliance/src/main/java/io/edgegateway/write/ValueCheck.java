package io.edgegateway.write;

import io.edgegateway.modbus.codec.RegisterEncoder;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.WriteRange;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a value may be written to a point, before any device is asked: the point is writable, the value is of
 * its kind (a number; on/off for a bit; a label of a labelled point), within its range and on its step, and a
 * Modbus register can hold it exactly. The REST route, the WoT form and {@code bin/gateway write} all check here.
 */
public final class ValueCheck {

    /** A value refused before it reached the device. */
    public static final class Refusal extends Exception {
        private final transient WriteOutcome.Refused refused;

        Refusal(int status, String code, String message) {
            super(message, null, false, false);
            this.refused = new WriteOutcome.Refused(status, code, message);
        }

        public WriteOutcome.Refused refused() {
            return refused;
        }
    }

    private ValueCheck() {
    }

    /**
     * The value to write, in engineering units.
     *
     * @param value a JSON number; true/false, 0/1 or a label for a bit; a label for a labelled point
     * @throws Refusal 409 {@code not-writable}; 400 {@code wrong-type}, {@code out-of-range}, {@code off-step}
     */
    public static PointValue accept(Point point, JsonValue value) throws Refusal {
        if (!point.writable()) {
            throw new Refusal(409, "not-writable", "'" + point.name() + "' is read only (its profile does not mark it"
                    + " writable)");
        }
        if (value == null) {
            throw new Refusal(400, "wrong-type", "\"value\" is required");
        }
        if (point.isBit()) {
            return new PointValue.Flag(bit(point, value));
        }
        BigDecimal v = number(point, value);
        WriteRange range = point.write();
        if (!range.contains(v)) {
            throw new Refusal(400, "out-of-range", v.toPlainString() + " is outside what '" + point.name()
                    + "' takes: " + range.describe() + unit(point));
        }
        if (!range.onStep(v)) {
            throw new Refusal(400, "off-step", v.toPlainString() + " is not on the step of '" + point.name() + "': "
                    + range.describe() + unit(point));
        }
        PointValue n = new PointValue.Number(v);
        if (point.address() instanceof ModbusAddress a) {
            fits(point, a, v, n);
        }
        return n;
    }

    /** A register value must come out whole after unscaling, and inside the type (uint16 0..65535...). */
    private static void fits(Point point, ModbusAddress a, BigDecimal v, PointValue n) throws Refusal {
        BigDecimal raw = point.scaling().unapply(v);
        if (!a.type().isFloat()) {
            if (raw.stripTrailingZeros().scale() > 0) {
                throw new Refusal(400, "off-step", v.toPlainString() + " cannot be held by '" + point.name()
                        + "': the device keeps " + resolution(point) + unit(point));
            }
        } else if (Double.isInfinite(a.type() == DataType.FLOAT32 ? raw.floatValue() : raw.doubleValue())) {
            // floatValue() turns 1e39 into Infinity, which the register would then hold.
            throw new Refusal(400, "out-of-range", v.toPlainString() + " does not fit '" + point.name() + "' ("
                    + a.type().configName() + "): beyond its largest finite value");
        }
        try {
            RegisterEncoder.encode(point, n);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new Refusal(400, "out-of-range", v.toPlainString() + " does not fit '" + point.name() + "' ("
                    + a.type().configName() + "): " + e.getMessage());
        }
    }

    private static String resolution(Point point) {
        BigDecimal f = point.scaling().factor().abs();
        return "steps of " + f.stripTrailingZeros().toPlainString();
    }

    private static String unit(Point point) {
        return point.unit().isEmpty() ? "" : " " + point.unit();
    }


    private static boolean bit(Point point, JsonValue value) throws Refusal {
        switch (value.getValueType()) {
            case TRUE -> {
                return true;
            }
            case FALSE -> {
                return false;
            }
            case NUMBER -> {
                BigDecimal d = ((JsonNumber) value).bigDecimalValue();
                if (d.compareTo(BigDecimal.ZERO) == 0 || d.compareTo(BigDecimal.ONE) == 0) {
                    return d.signum() != 0;
                }
            }
            case STRING -> {
                Optional<Long> raw = label(point, ((JsonString) value).getString());
                if (raw.isPresent() && (raw.get() == 0 || raw.get() == 1)) {
                    return raw.get() == 1;
                }
            }
            default -> {
            }
        }
        throw new Refusal(400, "wrong-type", "'" + point.name() + "' is on or off: true or false, 1 or 0"
                + labels(point) + ", not " + value);
    }

    private static BigDecimal number(Point point, JsonValue value) throws Refusal {
        if (value instanceof JsonNumber n) {
            BigDecimal v = n.bigDecimalValue();
            if (!WriteRange.sized(v)) {
                // toString, not toPlainString: 1E+100000000 stays 12 characters.
                throw new Refusal(400, "out-of-range", v + " has too many digits for '" + point.name() + "': "
                        + WriteRange.DIGITS);
            }
            return v;
        }
        if (value instanceof JsonString s) {
            Optional<Long> raw = label(point, s.getString());
            if (raw.isPresent()) {
                return BigDecimal.valueOf(raw.get());
            }
        }
        throw new Refusal(400, "wrong-type", "'" + point.name() + "' takes a number" + labels(point) + ", not "
                + value);
    }

    /** The raw value of a label, matched regardless of case (every door: REST, WoT, the command line). */
    public static Optional<Long> label(Point point, String text) {
        for (Map.Entry<Long, String> e : point.labels().entrySet()) {
            if (e.getValue().equalsIgnoreCase(text.trim())) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private static String labels(Point point) {
        if (point.labels().isEmpty()) {
            return "";
        }
        // By raw value: Point keeps its labels in a Map.copyOf, whose order changes from run to run.
        return " or one of its labels " + point.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " (" + e.getKey() + ")").collect(Collectors.joining(", "));
    }

    /** A point value as JSON: a number, true/false for a bit, text; null for what could not be read. */
    public static JsonValue json(PointValue v) {
        return switch (v) {
            case PointValue.Number n -> jakarta.json.Json.createValue(n.value());
            case PointValue.Flag f -> f.on() ? JsonValue.TRUE : JsonValue.FALSE;
            case PointValue.Text t -> jakarta.json.Json.createValue(t.text());
            case PointValue.Invalid i -> JsonValue.NULL;
            case null -> JsonValue.NULL;
        };
    }

    /** A value typed on a command line as JSON: true/false/on/off, a number, else a label. */
    public static JsonValue parse(String text) {
        String t = text.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "true" -> {
                return JsonValue.TRUE;
            }
            case "false" -> {
                return JsonValue.FALSE;
            }
            default -> {
            }
        }
        try {
            return jakarta.json.Json.createValue(new BigDecimal(t));
        } catch (NumberFormatException e) {
            return jakarta.json.Json.createValue(t);
        }
    }
}
