package io.edgegateway.poll;

import io.edgegateway.device.MeterReader;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.Reading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final Reading.Layout order;
    private final Map<Point, PointValue> latest = new HashMap<>();
    final long[] nextDueNanos;
    /** Per group: a failing group backs off on its own, without holding back the device's healthy groups. */
    final long[] retryAtNanos;
    private final MeterStatus[] outcome;
    private final int[] groupFailures;
    private final Instant[] groupRetry;
    private final List<List<String>> invalid;
    private final List<LineTask> tasks;
    final long[] taskDueNanos;
    private final int[] taskFailures;
    private final long[] taskRuns;
    private final long[] taskFailed;
    private final Instant[] taskLastRun;
    private final Instant[] taskNext;
    private final String[] taskError;
    private MeterStatus status = MeterStatus.DISCONNECTED;
    private Instant lastSeen;
    private String lastError;
    private long polls;
    private long failures;
    private long overruns;
    private long neighbourOverruns;
    private String heldUpBy;
    private double lastLatencyMillis;

    /** What a poll of one group did to the device: its status now, and the group's failures in a row. */
    record Outcome(MeterStatus status, int groupFailures) {
    }

    /**
     * @param points every point of the device in profile order (the order readings list them in)
     * @param groups the same points split into poll groups
     */
    public PolledDevice(String meterNo, MeterReader reader, List<Point> points, List<PollGroup> groups) {
        this(meterNo, reader, points, groups, List.of());
    }

    /** @param tasks work besides polling, run by the same bus thread (load profiles, clock checks) */
    public PolledDevice(String meterNo, MeterReader reader, List<Point> points, List<PollGroup> groups,
                        List<LineTask> tasks) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(meterNo + ": a device needs at least one poll group");
        }
        this.meterNo = meterNo;
        this.reader = reader;
        this.groups = List.copyOf(groups);
        this.order = new Reading.Layout(points);
        this.nextDueNanos = new long[groups.size()];
        this.retryAtNanos = new long[groups.size()];
        this.outcome = new MeterStatus[groups.size()];
        this.groupFailures = new int[groups.size()];
        this.groupRetry = new Instant[groups.size()];
        this.invalid = new ArrayList<>();
        groups.forEach(g -> invalid.add(List.of()));
        this.tasks = List.copyOf(tasks);
        this.taskDueNanos = new long[tasks.size()];
        this.taskFailures = new int[tasks.size()];
        this.taskRuns = new long[tasks.size()];
        this.taskFailed = new long[tasks.size()];
        this.taskLastRun = new Instant[tasks.size()];
        this.taskNext = new Instant[tasks.size()];
        this.taskError = new String[tasks.size()];
    }

    List<LineTask> tasks() {
        return tasks;
    }

    synchronized int taskFailures(int task) {
        return taskFailures[task];
    }

    synchronized void taskSucceeded(int task, Instant at, Instant next) {
        taskRuns[task]++;
        taskFailures[task] = 0;
        taskLastRun[task] = at;
        taskNext[task] = next;
        taskError[task] = null;
    }

    /** @return failures in a row of the task */
    synchronized int taskFailed(int task, String error, Instant next) {
        taskRuns[task]++;
        taskFailed[task]++;
        taskError[task] = error;
        taskNext[task] = next;
        return ++taskFailures[task];
    }

    /**
     * Takes one group's fresh values and returns the device's reading: every point's latest value in the device's
     * point order, so a reading always lists points the same way whichever group was polled last.
     */
    Reading reading(Instant at, Map<Point, PointValue> fresh) {
        latest.putAll(fresh);
        return Reading.of(meterNo, at, order, latest);
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

    synchronized boolean failing(int group) {
        return groupFailures[group] > 0;
    }

    /** Failures in a row of one group. */
    synchronized int groupFailures(int group) {
        return groupFailures[group];
    }

    synchronized Outcome succeeded(int group, MeterStatus groupStatus, Instant at, double latencyMillis,
                                   List<String> invalidPoints, String detail) {
        polls++;
        lastSeen = at;
        lastLatencyMillis = latencyMillis;
        invalid.set(group, List.copyOf(invalidPoints));
        groupFailures[group] = 0;
        groupRetry[group] = null;
        if (groupStatus == MeterStatus.ERROR) {
            lastError = detail;
        }
        return new Outcome(settle(group, groupStatus), 0);
    }

    synchronized Outcome failed(int group, MeterStatus groupStatus, Instant at, boolean answered, double latencyMillis,
                                String error, Instant retryAt) {
        polls++;
        failures++;
        groupFailures[group]++;
        if (answered) {
            lastSeen = at;
        }
        lastLatencyMillis = latencyMillis;
        lastError = error;
        groupRetry[group] = retryAt;
        return new Outcome(settle(group, groupStatus), groupFailures[group]);
    }

    /**
     * The device's status from its groups' latest outcomes: CONNECTED while any group delivers, else ERROR while
     * any answers, else DISCONNECTED. One group the meter refuses must not flip the meter every cycle.
     */
    private MeterStatus settle(int group, MeterStatus groupStatus) {
        outcome[group] = groupStatus;
        boolean error = false;
        boolean connected = false;
        for (MeterStatus o : outcome) {
            connected |= o == MeterStatus.CONNECTED;
            error |= o == MeterStatus.ERROR;
        }
        status = connected ? MeterStatus.CONNECTED : error ? MeterStatus.ERROR : MeterStatus.DISCONNECTED;
        return status;
    }

    synchronized String lastError() {
        return lastError;
    }

    synchronized void overran(long slots) {
        overruns += slots;
    }

    /** {@code slots} of this device's poll slots passed while {@code neighbour}'s poll held the line. */
    synchronized void heldUp(long slots, String neighbour, double pollMillis) {
        neighbourOverruns += slots;
        heldUpBy = "meter " + neighbour + ", " + String.format(java.util.Locale.ROOT, "%.1f s", pollMillis / 1000);
    }

    synchronized void deferredUntil(int group, Instant at) {
        groupRetry[group] = at;
    }

    synchronized Instant lastSeen() {
        return lastSeen;
    }

    public synchronized DeviceStats stats() {
        int worst = 0;
        Instant next = null;
        for (int g = 0; g < groups.size(); g++) {
            worst = Math.max(worst, groupFailures[g]);
            if (groupRetry[g] != null && (next == null || groupRetry[g].isBefore(next))) {
                next = groupRetry[g];
            }
        }
        List<String> unreadable = invalid.stream().flatMap(List::stream).toList();
        List<TaskStats> taskStats = new ArrayList<>(tasks.size());
        for (int t = 0; t < tasks.size(); t++) {
            taskStats.add(new TaskStats(tasks.get(t).name(), taskLastRun[t], taskNext[t], taskError[t], taskRuns[t],
                    taskFailed[t], tasks.get(t).details()));
        }
        return new DeviceStats(meterNo, status, lastSeen, lastError, polls, failures, worst, overruns,
                lastLatencyMillis, unreadable, next, neighbourOverruns, heldUpBy, reader.reprobeIn().orElse(null),
                taskStats);
    }
}
