package io.edgegateway.poll;

import java.util.List;
import java.util.Map;

/**
 * A bus's polling counters at one moment.
 *
 * @param name           bus name from the config
 * @param type           bus type (modbus-tcp, modbus-rtu, ...)
 * @param polls          poll attempts on this bus
 * @param errors         failed attempts by kind (timeout, link-down, rejected, bad-response)
 * @param latencySumSeconds sum of poll durations, for a Prometheus summary
 * @param latencyMaxSeconds longest poll so far
 * @param overruns       skipped poll slots (each device's own and those its neighbours caused)
 * @param deferredRetries retries of failing devices held back by the line-share budget
 * @param connects       connections (or port opens) the bus's shared line made; 0 where devices own theirs
 * @param lateRepliesDiscarded answers that came after their request timed out, dropped by transaction id on a
 *                       connection that stayed open (Modbus TCP)
 * @param devices        per-device counters
 */
public record BusStats(String name, String type, long polls, Map<String, Long> errors, double latencySumSeconds,
                       double latencyMaxSeconds, long overruns, long deferredRetries, long connects,
                       long lateRepliesDiscarded, List<DeviceStats> devices) {

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
