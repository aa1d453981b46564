package io.edgegateway.point;

import java.math.BigDecimal;

/** A decoded value of one point: a number, a bit, text, or the reason it could not be decoded. */
public sealed interface PointValue {

    /** A numeric value after scaling; exact where the device value was exact. */
    record Number(BigDecimal value) implements PointValue {
        public Number {
            if (value == null) {
                throw new IllegalArgumentException("value is required");
            }
        }
    }

    /** A coil, discrete input or bit in a register. */
    record Flag(boolean on) implements PointValue {
    }

    /** A string register block or COSEM octet/visible string. */
    record Text(String text) implements PointValue {
    }

    /** The device answered, but the data cannot be a value (NaN, out-of-range, wrong COSEM type...). */
    record Invalid(String reason) implements PointValue {
    }

    static PointValue of(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return new Invalid("not a finite number: " + d);
        }
        return new Number(new BigDecimal(Double.toString(d)));
    }

    static PointValue of(long l) {
        return new Number(BigDecimal.valueOf(l));
    }
}
