package io.edgegateway.point;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Linear conversion from a raw device value to an engineering value: {@code value = raw × factor + offset}.
 * Kept in {@link BigDecimal} so that "÷10" scaled integers show exact decimals.
 */
public record Scaling(BigDecimal factor, BigDecimal offset) {

    public static final Scaling NONE = new Scaling(BigDecimal.ONE, BigDecimal.ZERO);

    public Scaling {
        if (factor == null || offset == null) {
            throw new IllegalArgumentException("factor and offset are required");
        }
        if (factor.signum() == 0) {
            throw new IllegalArgumentException("scale factor must not be zero");
        }
    }

    /** {@code raw × 10^exponent}, e.g. exponent -1 for values sent in tenths. */
    public static Scaling powerOfTen(int exponent) {
        return new Scaling(BigDecimal.ONE.scaleByPowerOfTen(exponent), BigDecimal.ZERO);
    }

    public Scaling withOffset(BigDecimal newOffset) {
        return new Scaling(factor, newOffset);
    }

    public boolean isIdentity() {
        return factor.compareTo(BigDecimal.ONE) == 0 && offset.signum() == 0;
    }

    public BigDecimal apply(BigDecimal raw) {
        if (isIdentity()) {
            return raw;
        }
        return raw.multiply(factor, MathContext.DECIMAL64).add(offset, MathContext.DECIMAL64);
    }

    /** Inverse of {@link #apply}, for simulators and writes. */
    public BigDecimal unapply(BigDecimal value) {
        if (isIdentity()) {
            return value;
        }
        return value.subtract(offset, MathContext.DECIMAL64).divide(factor, MathContext.DECIMAL64);
    }
}
