package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.axdr.CosemDateTime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The simulated meter's own clock: the simulator's clock plus an offset (a drifting or mis-set crystal), shown as
 * local time with a fixed deviation. Only the offset moves at run time: a client setting the clock, a fault making
 * it jump. Thread-safe.
 *
 * <p>Deviation follows the drivers' convention: local time = UTC - deviation (minutes), so a meter on CET sends -60.
 */
final class MeterClock {

    private final Clock base;
    private final int deviation;
    private Duration offset;

    MeterClock(Clock base, Duration offset, int deviation) {
        this.base = base;
        this.offset = offset;
        this.deviation = deviation;
    }

    /** The time the meter believes it is. */
    synchronized Instant now() {
        return base.instant().plus(offset);
    }

    /** The real (simulator) time the meter's {@code meterTime} corresponds to. */
    synchronized Instant trueTime(Instant meterTime) {
        return meterTime.minus(offset);
    }

    synchronized Duration offset() {
        return offset;
    }

    /** Moves the meter clock by {@code d} (negative: back). */
    synchronized void shift(Duration d) {
        offset = offset.plus(d);
    }

    /** Sets the meter clock to read {@code meterTime} now. */
    synchronized void set(Instant meterTime) {
        offset = Duration.between(base.instant(), meterTime);
    }

    int deviation() {
        return deviation;
    }

    /** {@code meterTime} as the meter sends it: local time with the deviation, clock status ok. */
    CosemDateTime dateTime(Instant meterTime) {
        return CosemDateTime.of(meterTime, deviation, 0);
    }

    /** Epoch seconds of the local midnight, quarter hour... boundary at or before {@code epochSecond}. */
    long boundaryAtOrBefore(long epochSecond, long period) {
        long local = epochSecond - deviation * 60L;
        return Math.floorDiv(local, period) * period + deviation * 60L;
    }

    /** The first capture boundary strictly after {@code epochSecond}. */
    long boundaryAfter(long epochSecond, long period) {
        return boundaryAtOrBefore(epochSecond, period) + period;
    }
}
