package io.edgegateway.alert;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * What a point rule tests, with its hysteresis: a value is in <em>alarm</em> (it raises), <em>normal</em> (it
 * clears), or neither (inside the hysteresis band: the alert stays as it is). E.g. {@code gt 253} with hysteresis 2
 * raises above 253 and clears at 251 or below. An invalid value is neither.
 *
 * <p>The clearing bounds are worked out once, when the rule is made, not on every poll: each record derives them in
 * its constructor (whatever is passed for them is replaced).
 */
public sealed interface Condition {

    /** Whether {@code v} raises the alert. */
    boolean alarm(Point p, PointValue v);

    /** Whether {@code v} clears a raised alert. */
    boolean normal(Point p, PointValue v);

    /** The word in the config: gt, lt, eq, between, outside. */
    String configName();

    /** Whether the condition compares numbers (and so needs a numeric point). */
    default boolean numeric() {
        return true;
    }

    /** Above {@code limit}; clears at or below {@code clearAt}, {@code limit - hysteresis} (worked out once). */
    record Above(BigDecimal limit, BigDecimal hysteresis, BigDecimal clearAt) implements Condition {
        public Above {
            clearAt = limit.subtract(hysteresis);
        }

        public Above(BigDecimal limit, BigDecimal hysteresis) {
            this(limit, hysteresis, null);
        }

        @Override
        public boolean alarm(Point p, PointValue v) {
            return number(v) instanceof BigDecimal x && x.compareTo(limit) > 0;
        }

        @Override
        public boolean normal(Point p, PointValue v) {
            return number(v) instanceof BigDecimal x && x.compareTo(clearAt) <= 0;
        }

        @Override
        public String configName() {
            return "gt";
        }
    }

    /** Below {@code limit}; clears at or above {@code clearAt}, {@code limit + hysteresis}. */
    record Below(BigDecimal limit, BigDecimal hysteresis, BigDecimal clearAt) implements Condition {
        public Below {
            clearAt = limit.add(hysteresis);
        }

        public Below(BigDecimal limit, BigDecimal hysteresis) {
            this(limit, hysteresis, null);
        }

        @Override
        public boolean alarm(Point p, PointValue v) {
            return number(v) instanceof BigDecimal x && x.compareTo(limit) < 0;
        }

        @Override
        public boolean normal(Point p, PointValue v) {
            return number(v) instanceof BigDecimal x && x.compareTo(clearAt) >= 0;
        }

        @Override
        public String configName() {
            return "lt";
        }
    }

    /** Within [low, high]; clears below {@code clearBelow} (low - hysteresis) or above {@code clearAbove}. */
    record Between(BigDecimal low, BigDecimal high, BigDecimal hysteresis, BigDecimal clearBelow,
                   BigDecimal clearAbove) implements Condition {
        public Between {
            clearBelow = low.subtract(hysteresis);
            clearAbove = high.add(hysteresis);
        }

        public Between(BigDecimal low, BigDecimal high, BigDecimal hysteresis) {
            this(low, high, hysteresis, null, null);
        }

        @Override
        public boolean alarm(Point p, PointValue v) {
            return number(v) instanceof BigDecimal x && x.compareTo(low) >= 0 && x.compareTo(high) <= 0;
        }

        @Override
        public boolean normal(Point p, PointValue v) {
            return number(v) instanceof BigDecimal x
                    && (x.compareTo(clearBelow) < 0 || x.compareTo(clearAbove) > 0);
        }

        @Override
        public String configName() {
            return "between";
        }
    }

    /** Below {@code low} or above {@code high}; clears within [clearFrom, clearTo], [low + hyst., high - hyst.]. */
    record Outside(BigDecimal low, BigDecimal high, BigDecimal hysteresis, BigDecimal clearFrom,
                   BigDecimal clearTo) implements Condition {
        public Outside {
            clearFrom = low.add(hysteresis);
            clearTo = high.subtract(hysteresis);
        }

        public Outside(BigDecimal low, BigDecimal high, BigDecimal hysteresis) {
            this(low, high, hysteresis, null, null);
        }

        @Override
        public boolean alarm(Point p, PointValue v) {
            return number(v) instanceof BigDecimal x && (x.compareTo(low) < 0 || x.compareTo(high) > 0);
        }

        @Override
        public boolean normal(Point p, PointValue v) {
            return number(v) instanceof BigDecimal x && x.compareTo(clearFrom) >= 0 && x.compareTo(clearTo) <= 0;
        }

        @Override
        public String configName() {
            return "outside";
        }
    }

    /**
     * Equal to a number, or to a label or text: {@code eq 2} compares a labelled point's number, {@code eq FAULT} its
     * label (a flag's label, or true/false; a text point's text). Clears when it is anything else; no hysteresis.
     *
     * @param number the value as a number, or null when it is a label or text
     * @param text   the value as written
     */
    record Equal(BigDecimal number, String text) implements Condition {
        @Override
        public boolean alarm(Point p, PointValue v) {
            return switch (v) {
                case PointValue.Number n -> number != null ? n.value().compareTo(number) == 0
                        : text.equals(p.label(n.value()));
                case PointValue.Flag f -> number != null
                        ? number.compareTo(f.on() ? BigDecimal.ONE : BigDecimal.ZERO) == 0
                        : text.equals(p.labels().get(f.on() ? 1L : 0L))
                                || text.toLowerCase(Locale.ROOT).equals(String.valueOf(f.on()));
                case PointValue.Text t -> t.text().equals(text);
                case PointValue.Invalid i -> false;
            };
        }

        @Override
        public boolean normal(Point p, PointValue v) {
            return !(v instanceof PointValue.Invalid) && !alarm(p, v);
        }

        @Override
        public String configName() {
            return "eq";
        }

        @Override
        public boolean numeric() {
            return false;
        }
    }

    private static BigDecimal number(PointValue v) {
        return v instanceof PointValue.Number n ? n.value() : null;
    }
}
