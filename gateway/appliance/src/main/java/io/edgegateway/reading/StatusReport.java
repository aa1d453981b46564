package io.edgegateway.reading;

import java.time.Instant;

/**
 * A meter's status at one moment.
 *
 * @param meterNo  the meter
 * @param status   CONNECTED, DISCONNECTED or ERROR
 * @param lastSeen when the meter last answered usably; null if never
 * @param detail   why, for DISCONNECTED/ERROR (shown in REST, not in the documented SSE status event)
 */
public record StatusReport(String meterNo, MeterStatus status, Instant lastSeen, String detail) {
}
