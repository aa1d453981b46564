package io.edgegateway.wot;

import java.math.BigDecimal;

/**
 * What a writable point accepts, as its profile says; each bound is null when the profile sets none.
 *
 * @param minimum the smallest value accepted, in the point's unit
 * @param maximum the largest value accepted
 * @param step    values are multiples of this
 */
public record WriteLimits(BigDecimal minimum, BigDecimal maximum, BigDecimal step) {

    /** Writable, without bounds. */
    public static final WriteLimits UNBOUNDED = new WriteLimits(null, null, null);
}
