package io.edgegateway.modbus.plan;


/**
 * How a device wants to be read. Some meters accept fewer than the protocol's 125 registers per request
 * (Eastron: 80), and reading a few unused registers is cheaper than a second request, up to {@code maxGap}.
 *
 * @param maxRegisters most registers in one request, 1..125
 * @param maxBits      most coils/discrete inputs in one request, 1..2000
 * @param maxGap       most unused registers a request may span to join two points, 0 = contiguous only
 * @param maxBitGap    the same for bits
 */
public record PlanLimits(int maxRegisters, int maxBits, int maxGap, int maxBitGap) {

    /** Protocol limits and a gap of 10 registers / 64 bits. */
    public static final PlanLimits DEFAULT = new PlanLimits(125, 2000, 10, 64);

    public PlanLimits {
        if (maxRegisters < 1 || maxRegisters > 125) {
            throw new IllegalArgumentException("maxRegisters must be 1..125, got " + maxRegisters);
        }
        if (maxBits < 1 || maxBits > 2000) {
            throw new IllegalArgumentException("maxBits must be 1..2000, got " + maxBits);
        }
        if (maxGap < 0 || maxBitGap < 0) {
            throw new IllegalArgumentException("gaps must not be negative");
        }
    }

    public PlanLimits withMaxRegisters(int n) {
        return new PlanLimits(n, maxBits, maxGap, maxBitGap);
    }

    public PlanLimits withMaxGap(int n) {
        return new PlanLimits(maxRegisters, maxBits, n, maxBitGap);
    }

    /** Limits that merge nothing but exactly adjacent points. */
    public PlanLimits contiguousOnly() {
        return new PlanLimits(maxRegisters, maxBits, 0, 0);
    }
}
