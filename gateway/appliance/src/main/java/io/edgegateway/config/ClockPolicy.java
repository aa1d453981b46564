package io.edgegateway.config;

import java.time.Duration;

/**
 * How a DLMS device's clock is watched: {@code clock: {check: 1h, sync-when-drift-exceeds: 10s}}.
 *
 * @param check         how often the clock is read (also at start-up)
 * @param syncThreshold a drift beyond which the gateway sets the meter's clock; null never to set it
 */
public record ClockPolicy(Duration check, Duration syncThreshold) {

    public boolean syncs() {
        return syncThreshold != null;
    }
}
