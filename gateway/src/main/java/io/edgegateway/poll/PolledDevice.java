package io.edgegateway.poll;

import io.edgegateway.device.MeterReader;
import io.edgegateway.reading.MeterStatus;

import java.time.Instant;
import java.util.List;

/**
 * A device as its bus scheduler sees it: reader, poll groups with their next due times, failure state and
 * counters. Mutated only by the bus thread; {@link #stats()} may be called from anywhere.
 */
public final class PolledDevice {

    private final String meterNo;
    private final MeterReader reader;
    private final List<PollGroup> groups;
    final long[] nextDueNanos;
    long retryAtNanos;
    private MeterStatus status = MeterStatus.DISCONNECTED;
    private Instant lastSeen;
    private String lastError;
    private long polls;
    private long failures;
    private int consecutiveFailures;
    private long overruns;
    private double lastLatencyMillis;
    private List<String> invalidPoints = List.of();
    private Instant nextAttempt;

    public PolledDevice(String meterNo, MeterReader reader, List<PollGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(meterNo + ": a device needs at least one poll group");
        }
        this.meterNo = meterNo;
        this.reader = reader;
        this.groups = List.copyOf(groups);
        this.nextDueNanos = new long[groups.size()];
    }

    public String meterNo() {
        return meterNo;
    }

    MeterReader reader() {
        return reader;
    }

    List<PollGroup> groups() {
        return groups;
    }

    synchronized boolean failing() {
        return consecutiveFailures > 0;
    }

    synchronized void succeeded(MeterStatus newStatus, Instant at, double latencyMillis, List<String> invalid,
                                String detail) {
        polls++;
        status = newStatus;
        lastSeen = at;
        lastLatencyMillis = latencyMillis;
        invalidPoints = List.copyOf(invalid);
        consecutiveFailures = 0;
        nextAttempt = null;
        lastError = newStatus == MeterStatus.ERROR ? detail : lastError;
    }

    /** @return consecutive failures including this one */
    synchronized int failed(MeterStatus newStatus, Instant at, boolean answered, double latencyMillis, String error,
                            Instant retryAt) {
        polls++;
        failures++;
        consecutiveFailures++;
        status = newStatus;
        if (answered) {
            lastSeen = at;
        }
        lastLatencyMillis = latencyMillis;
        lastError = error;
        nextAttempt = retryAt;
        return consecutiveFailures;
    }

    synchronized void overran(long slots) {
        overruns += slots;
    }

    synchronized void deferredUntil(Instant at) {
        nextAttempt = at;
    }

    synchronized Instant lastSeen() {
        return lastSeen;
    }

    public synchronized DeviceStats stats() {
        return new DeviceStats(meterNo, status, lastSeen, lastError, polls, failures, consecutiveFailures, overruns,
                lastLatencyMillis, invalidPoints, nextAttempt);
    }
}
