package io.edgegateway.poll;

import io.edgegateway.reading.MeterStatus;

import java.time.Duration;
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
 * @param overruns        poll slots skipped because the device's own poll outlasted them
 * @param lastLatencyMillis duration of the last poll
 * @param invalidPoints   points the last poll could not deliver (rejected addresses, NaN...)
 * @param nextAttempt     when a failing poll group is tried again, null when all are healthy
 * @param neighbourOverruns poll slots skipped because another device on the line held it past them (a device that
 *                        drips its answers, or times out)
 * @param heldUpBy        the neighbour that last did so, and how long its poll took ("meter 7, 5.2 s"); null if none
 * @param reprobeIn       how long until the addresses the device refused are asked again; null if it refuses none
 * @param tasks           the device's line tasks (DLMS load profiles, clock check), empty if none
 */
public record DeviceStats(String meterNo, MeterStatus status, Instant lastSeen, String lastError, long polls,
                          long failures, int consecutiveFailures, long overruns, double lastLatencyMillis,
                          List<String> invalidPoints, Instant nextAttempt, long neighbourOverruns, String heldUpBy,
                          Duration reprobeIn, List<TaskStats> tasks) {
}
