package io.edgegateway.profile;

/**
 * The requests a device accepts, as its profile states them ({@code limits:}); the Modbus read planner keeps to
 * them. Some meters accept fewer than the protocol's 125 registers per request (Eastron: 80), and reading a few
 * unused registers is cheaper than a second request, up to {@code maxGap}.
 *
 * @param maxRegisters most registers in one request, 1..125
 * @param maxBits      most coils/discrete inputs in one request, 1..2000
 * @param maxGap       most unused registers a request may span to join two points, 0 = contiguous only
 * @param maxBitGap    the same for bits
 */
public record RequestLimits(int maxRegisters, int maxBits, int maxGap, int maxBitGap) {

    /** Protocol limits and a gap of 10 registers / 64 bits. */
    public static final RequestLimits DEFAULT = new RequestLimits(125, 2000, 10, 64);

    public RequestLimits {
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

    public RequestLimits withMaxRegisters(int n) {
        return new RequestLimits(n, maxBits, maxGap, maxBitGap);
    }

    public RequestLimits withMaxGap(int n) {
        return new RequestLimits(maxRegisters, maxBits, n, maxBitGap);
    }

    /** Limits that merge nothing but exactly adjacent points. */
    public RequestLimits contiguousOnly() {
        return new RequestLimits(maxRegisters, maxBits, 0, 0);
    }
}
