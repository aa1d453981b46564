package io.edgegateway.poll;

import io.edgegateway.device.MeterReader;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.MeterStatus;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device as its bus scheduler sees it: reader, poll groups with their next due times, failure state and
 * counters. Mutated only by the bus thread; {@link #stats()} may be called from anywhere.
 */
public final class PolledDevice {

    private final String meterNo;
    private final MeterReader reader;
    private final List<PollGroup> groups;
    private final List<Point> order;
    private final Map<Point, PointValue> latest = new HashMap<>();
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

    /**
     * @param points every point of the device in profile order (the order readings list them in)
     * @param groups the same points split into poll groups
     */
    public PolledDevice(String meterNo, MeterReader reader, List<Point> points, List<PollGroup> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(meterNo + ": a device needs at least one poll group");
        }
        this.meterNo = meterNo;
        this.reader = reader;
        this.groups = List.copyOf(groups);
        this.order = List.copyOf(points);
        this.nextDueNanos = new long[groups.size()];
    }

    /**
     * Takes one group's fresh values and returns every point's latest value in the device's point order, so a
     * reading always lists points the same way whichever group was polled last.
     */
    Map<Point, PointValue> merge(Map<Point, PointValue> fresh) {
        latest.putAll(fresh);
        Map<Point, PointValue> out = new LinkedHashMap<>();
        for (Point p : order) {
            PointValue v = latest.get(p);
            if (v != null) {
                out.put(p, v);
            }
        }
        return out;
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
