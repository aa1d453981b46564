package io.edgegateway.scan;

/** What one value read from a device says about a profile being the right register map for it. */
public sealed interface Verdict {

    /** The value is what this profile's point would show on a real device, and unlikely by chance (50.0 Hz). */
    record Supports(String shown) implements Verdict {
    }

    /** The value fits but proves little (0 A, an enum value, empty text). */
    record Consistent(String shown) implements Verdict {
    }

    /** The value cannot come from this point on a working device (1.5E-33 V, 1725.4 %), or the read failed. */
    record Contradicts(String reason) implements Verdict {
    }
}
