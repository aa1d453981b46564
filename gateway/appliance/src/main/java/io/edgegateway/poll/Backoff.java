package io.edgegateway.poll;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Exponential backoff for a device that stopped answering: base, 2·base, 4·base... up to max, with ±10 % jitter so
 * devices that failed together do not retry in lockstep.
 */
public record Backoff(Duration base, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    public Backoff {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max");
        }
    }

    /** Delay before the next attempt after {@code failures} consecutive failures (1 = first failure). */
    public Duration delay(int failures, SplittableRandom random) {
        int exponent = Math.min(Math.max(0, failures - 1), 30);
        long millis = Math.min(max.toMillis(), base.toMillis() << Math.min(exponent, 20));
        double jitter = 0.9 + 0.2 * random.nextDouble();
        return Duration.ofMillis(Math.max(1, (long) (millis * jitter)));
    }
}
