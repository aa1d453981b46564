package io.edgegateway.dlms.cosem;

import io.edgegateway.dlms.axdr.CosemDateTime;

import java.time.Duration;
import java.time.Instant;

/**
 * The meter's clock (class 8, attribute 2) as read, and when.
 *
 * @param meterTime the date-time the meter sent, with its deviation and clock status
 * @param readAt    the gateway's time halfway through the exchange
 */
public record ClockReading(CosemDateTime meterTime, Instant readAt) {

    /** How far the meter's clock is ahead of the gateway's (negative: behind). */
    public Duration drift() {
        return Duration.between(readAt, meterTime.toInstant());
    }

    public int status() {
        return meterTime.clockStatus();
    }
}
