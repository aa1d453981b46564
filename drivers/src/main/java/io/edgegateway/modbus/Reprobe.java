package io.edgegateway.modbus;

import java.time.Duration;

/**
 * When the addresses a device refused (exception 02 for one point, 01 for a function) are asked again. The first
 * time after {@code first}; each time the device still refuses, after twice as long, up to {@code longest}; while
 * it refuses every point it is asked for, up to {@code longestWhileAllRefused} (it delivers nothing anyway, and a
 * PLC or meter that was reconfigured must come back soon). A refused point that reads again, or an address refused
 * for the first time, starts over at {@code first}.
 */
public record Reprobe(Duration first, Duration longest, Duration longestWhileAllRefused) {

    /** 5 s, doubling up to 15 minutes; at most 1 minute while everything is refused. */
    public static final Reprobe DEFAULT = new Reprobe(Duration.ofSeconds(5), Duration.ofMinutes(15),
            Duration.ofMinutes(1));

    public Reprobe {
        if (first.isNegative() || first.isZero() || longestWhileAllRefused.compareTo(first) < 0
                || longest.compareTo(longestWhileAllRefused) < 0) {
            throw new IllegalArgumentException("need 0 < first <= longestWhileAllRefused <= longest, got " + first
                    + ", " + longestWhileAllRefused + ", " + longest);
        }
    }

    /** The period after one of {@code currentNanos} that confirmed the refusals. */
    long nextNanos(long currentNanos, boolean allRefused) {
        return Math.min(Math.max(currentNanos * 2, first.toNanos()), capNanos(allRefused));
    }

    long capNanos(boolean allRefused) {
        return (allRefused ? longestWhileAllRefused : longest).toNanos();
    }
}
