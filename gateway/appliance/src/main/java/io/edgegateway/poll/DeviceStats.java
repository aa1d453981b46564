package io.edgegateway.poll;

import io.edgegateway.reading.MeterStatus;

import java.time.Instant;
import java.util.List;

/**
 * A device's polling counters at one moment.
 *
 * @param meterNo         the meter
 * @param status          current status
 * @param lastSeen        last answer of any kind, null if never
 * @param lastError       last failure text, null if none yet
 * @param polls           poll attempts
 * @param failures        failed attempts (timeouts, exceptions, bad answers)
 * @param consecutiveFailures failures since the last success, of the device's worst poll group
 * @param overruns        poll slots skipped because the line was still busy when the next one was due
 * @param lastLatencyMillis duration of the last poll
 * @param invalidPoints   points the last poll could not deliver (rejected addresses, NaN...)
 * @param nextAttempt     when a failing poll group is tried again, null when all are healthy
 */
public record DeviceStats(String meterNo, MeterStatus status, Instant lastSeen, String lastError, long polls,
                          long failures, int consecutiveFailures, long overruns, double lastLatencyMillis,
                          List<String> invalidPoints, Instant nextAttempt) {
}
