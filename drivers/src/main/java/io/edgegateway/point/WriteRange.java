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
