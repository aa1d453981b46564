package io.edgegateway.point;

import java.math.BigDecimal;

/**
 * What a writable point accepts, in engineering units (after scaling): a profile's {@code writable: true} with its
 * optional {@code min}, {@code max} and {@code step}. A bound or step that is null does not apply.
 *
 * @param step the value less {@code min} (or the value itself, without a min) must be a whole multiple of it
 */
public record WriteRange(BigDecimal min, BigDecimal max, BigDecimal step) {

    /** Writable, with no bounds of its own: the point's data type still bounds what the device can hold. */
    public static final WriteRange ANY = new WriteRange(null, null, null);

    /** Digits after the decimal point a value to write, or a bound, may have. */
    public static final int MAX_DECIMALS = 30;
    /** Digits before the decimal point a value to write, or a bound, may have. */
    public static final int MAX_WHOLE_DIGITS = 40;
    /** The two bounds as messages name them. */
    public static final String DIGITS = "at most " + MAX_WHOLE_DIGITS + " digits before the decimal point and "
            + MAX_DECIMALS + " after";

    /**
     * Whether {@code v} has no more digits than {@link #DIGITS} says. Checked before any arithmetic: JSON or YAML
     * {@code 1E+100000000} is 13 characters, but as an integer (setScale, subtract, remainder) 40 MB and seconds.
     */
    public static boolean sized(BigDecimal v) {
        // long: scale() may be near Integer.MIN_VALUE (1E+2147483647).
        return v.scale() <= MAX_DECIMALS && (long) v.precision() - v.scale() <= MAX_WHOLE_DIGITS;
    }

    public WriteRange {
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min " + min.toPlainString() + " is above max " + max.toPlainString());
        }
        if (step != null && step.signum() <= 0) {
            throw new IllegalArgumentException("step must be above 0, got " + step.toPlainString());
        }
    }

    /** Whether {@code value} lies within min and max. */
    public boolean contains(BigDecimal value) {
        return (min == null || value.compareTo(min) >= 0) && (max == null || value.compareTo(max) <= 0);
    }

    /** Whether {@code value} is on the step grid (always, without a step). */
    public boolean onStep(BigDecimal value) {
        if (step == null) {
            return true;
        }
        BigDecimal from = min == null ? BigDecimal.ZERO : min;
        return value.subtract(from).remainder(step).signum() == 0;
    }

    /** "0.0 .. 100.0, step 0.5" for messages; "any value" without bounds. */
    public String describe() {
        if (min == null && max == null && step == null) {
            return "any value its type holds";
        }
        String range = (min == null ? "…" : min.toPlainString()) + " .. "
                + (max == null ? "…" : max.toPlainString());
        return step == null ? range : range + ", step " + step.toPlainString();
    }
}
