package io.edgegateway.poll;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.device.SharedLine;
import io.edgegateway.device.UnsuitableValueException;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.StatusReport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns one bus and polls its devices on one thread (a platform thread for a busy or serial line), one request at a
 * time (one RS-485 line has one master). Each poll group runs at a fixed rate: slot k is due at start + k·interval
 * whatever the previous poll took, so rates do not drift, and a slot that is already over when the line frees up is
 * skipped and counted, never queued. A failing device backs off exponentially, and attempts at failing devices share
 * at most {@code retryShare} of the line's time ({@link RetryBudget}). Writes ({@link #write}) jump the queue: the bus
 * thread runs each before the next poll or line task, so a write never shares the line with a poll, and waits at most
 * for the poll or load-profile chunk in progress.
 */
public final class BusScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BusScheduler.class.getName());
    /** Line time failing devices may bank while the line is healthy. */
    private static final long RETRY_BURST_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int RECENT_POLLS = 16;
    /** Writes waiting for the line: operators' writes are rare, and a full queue refuses rather than piles up. */
    private static final int QUEUED_WRITES = 16;

    /** One poll's time on the line. */
    private record LinePoll(PolledDevice device, long t0, long t1) {
    }

    private final String name;
    private final String type;
    private final List<PolledDevice> devices;
    private final EventHub hub;
    private final Backoff backoff;
    private final RetryBudget budget;
    private final SharedLine line;
    private final Clock clock;
    private final SplittableRandom random = new SplittableRandom();
    private final LongAdder polls = new LongAdder();
    private final Map<String, LongAdder> errors = new TreeMap<>();
    private final LongAdder overruns = new LongAdder();
    private final LongAdder deferred = new LongAdder();
    /** The last polls on the line, to tell who held it while a device waited past its slot. */
    private final ArrayDeque<LinePoll> recent = new ArrayDeque<>(RECENT_POLLS);
    /** Writes go before every poll and line task that is due, one at a time on the bus thread. */
    private final BlockingQueue<LineWrite> writes = new ArrayBlockingQueue<>(QUEUED_WRITES);
    /** The bus's shortest poll interval: a poll shorter than it cannot have held any other device past a slot. */
    private final long shortestIntervalNanos;
    private double latencySum;
    private double latencyMax;
    private final boolean ownThread;
    /** The line keeps several transactions in flight: the reads due now are sent ahead, in the order they run. */
    private final boolean sendsAhead;
    /** When {@link #start} ran: the origin of the slots that the devices of a bus sending ahead share. */
    private long startNanos;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param line       the shared connection of this bus, closed with the scheduler (null if devices own theirs)
     * @param retryShare fraction of line time failing devices may use, e.g. 0.25
     */
    public BusScheduler(String name, String type, List<PolledDevice> devices, EventHub hub, Backoff backoff,
                        double retryShare, SharedLine line, Clock clock) {
        this(name, type, devices, hub, backoff, retryShare, line, clock, devices.size() > 1);
    }

    /**
     * @param ownThread poll on a platform thread of the bus's own, not a virtual one: for a line that carries many
     *                  requests a second (many devices), and for a serial line, whose native reads would pin a
     *                  carrier thread
     */
    public BusScheduler(String name, String type, List<PolledDevice> devices, EventHub hub, Backoff backoff,
                        double retryShare, SharedLine line, Clock clock, boolean ownThread) {
        this.ownThread = ownThread;
        this.name = name;
        this.type = type;
        this.devices = List.copyOf(devices);
        this.shortestIntervalNanos = this.devices.stream().flatMap(d -> d.groups().stream())
                .mapToLong(g -> g.interval().toNanos()).min().orElse(Long.MAX_VALUE);
        this.hub = hub;
        this.backoff = backoff;
        this.budget = new RetryBudget(retryShare, RETRY_BURST_NANOS, System.nanoTime());
        this.line = line;
        this.sendsAhead = line != null && line.maxOutstanding() > 1;
        this.clock = clock;
        for (String kind : List.of("timeout", "link-down", "rejected", "bad-response", "internal")) {
            errors.put(kind, new LongAdder());
        }
    }

    public String name() {
        return name;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        long now = System.nanoTime();
        startNanos = now;
        for (PolledDevice d : devices) {
            // Spread first polls over 100 ms per device so a restart does not fire every device at once.
            for (int i = 0; i < d.nextDueNanos.length; i++) {
                d.nextDueNanos[i] = now + TimeUnit.MILLISECONDS.toNanos(100L * devices.indexOf(d));
            }
            // Tasks after the first polls: a live reading first, then the catch-up.
            for (int t = 0; t < d.taskDueNanos.length; t++) {
                d.taskDueNanos[t] = now + TimeUnit.MILLISECONDS.toNanos(100L * devices.indexOf(d) + 500 + 100L * t);
            }
        }
        // A busy bus lives in one request/answer after another, and a virtual thread's blocked read costs a poller
        // hand-off and two more wake-ups each time (at 2,000 requests/s, 26 % more CPU, most of it in the kernel;
        // README "Memory and JVM flags"). A bus of one meter at its own address keeps a virtual thread: its few
        // requests do not pay for a thread, and 500 such meters do not make 500 threads.
        Thread.Builder builder = ownThread ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
        thread = builder.name("bus-" + name).start(this::run);
    }

    private void run() {
        while (!stopped) {
            LineWrite w = writes.poll();
            if (w != null) {
                runWrite(w);
                continue;
            }
            PolledDevice next = null;
            int group = -1;
            long due = Long.MAX_VALUE;
            for (PolledDevice d : devices) {
                for (int i = 0; i < d.nextDueNanos.length; i++) {
                    long t = Math.max(d.nextDueNanos[i], d.retryAtNanos[i]);
                    if (next == null || t - due < 0) {
                        next = d;
                        group = i;
                        due = t;
                    }
                }
            }
            PolledDevice taskDevice = null;
            int task = -1;
            for (PolledDevice d : devices) {
                for (int t = 0; t < d.taskDueNanos.length; t++) {
                    if (d.taskDueNanos[t] - due < 0) {
                        taskDevice = d;
                        task = t;
                        due = d.taskDueNanos[t];
                    }
                }
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    // Idle until the next slot, or a write.
                    w = writes.poll(wait, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (w != null) {
                    runWrite(w);
                }
                continue;
            }
            if (taskDevice != null) {
                runTask(taskDevice, task);
                continue;
            }
            if (next.failing(group)) {
                long hold = budget.waitNanos(System.nanoTime());
                if (hold > 0) {
                    next.retryAtNanos[group] = System.nanoTime() + hold;
                    next.deferredUntil(group, clock.instant().plusNanos(hold));
                    deferred.increment();
                    continue;
                }
            }
            if (sendsAhead && !next.failing(group)) {
                sendAhead(next, group);
            }
            poll(next, group);
        }
    }

    /**
     * Hints the reads that are due now, in the order {@link #run} will make them: this one first, then the others
     * by due time and device order. Failing groups are left out (the retry budget may hold them back, and a gateway
     * answering in turn would spend their timeouts ahead of the healthy meters), and so is anything not yet due: a
     * reading is not taken early. Not called for a failing group.
     */
    private void sendAhead(PolledDevice first, int firstGroup) {
        first.reader().readAhead(first.groups().get(firstGroup).points());
        long now = System.nanoTime();
        List<long[]> due = new ArrayList<>(); // {due, device, group}
        for (int d = 0; d < devices.size(); d++) {
            PolledDevice pd = devices.get(d);
            for (int g = 0; g < pd.nextDueNanos.length; g++) {
                long t = Math.max(pd.nextDueNanos[g], pd.retryAtNanos[g]);
                if (t - now <= 0 && !(pd == first && g == firstGroup) && !pd.failing(g)) {
                    due.add(new long[] {t, d, g});
                }
            }
        }
        due.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0] - now, b[0] - now) : Long.compare(a[1], b[1]));
        for (long[] e : due) {
            PolledDevice pd = devices.get((int) e[1]);
            pd.reader().readAhead(pd.groups().get((int) e[2]).points());
        }
    }

    private void poll(PolledDevice d, int groupIndex) {
        PollGroup g = d.groups().get(groupIndex);
        boolean wasFailing = d.failing(groupIndex);
        long t0 = System.nanoTime();
        Map<Point, PointValue> values = null;
        DeviceException failure = null;
        try {
            values = d.reader().read(g.points());
        } catch (DeviceException e) {
            failure = e;
        } catch (RuntimeException e) {
            // A bug in a decoder must not kill the bus: count it, show it, keep polling.
            LOG.log(Level.WARNING, "bus " + name + ", meter " + d.meterNo() + ": unexpected error", e);
            failure = new BadResponseException("internal error: " + e, e);
            errors.get("internal").increment();
        }
        long t1 = System.nanoTime();
        Instant now = clock.instant();
        double seconds = (t1 - t0) / 1e9;
        record(seconds);
        if (failure == null) {
            onSuccess(d, groupIndex, values, now, seconds);
        } else {
            onFailure(d, groupIndex, failure, now, seconds, t1);
        }
        if (wasFailing || failure != null) {
            budget.spend(t1, t1 - t0);
        }
        long interval = g.interval().toNanos();
        long due = d.nextDueNanos[groupIndex];
        // Sending ahead, a device joins the bus's one grid (start + k·interval) after its first poll: the devices of
        // one interval then share every slot, a round is sent ahead max-outstanding at a time, and the bus wakes
        // once a round instead of once a device (at 500 meters on ten such buses, the bus threads' CPU 2.8 -> 1.9 %
        // of a core; README "Benchmarks"). A device's second poll may so come less than an interval after its
        // first, once. On the grid, both give due + interval.
        long nextDue = sendsAhead ? startNanos + (Math.floorDiv(due - startNanos, interval) + 1) * interval
                : due + interval;
        if (nextDue - t1 <= 0) {
            long missed = (t1 - nextDue) / interval + 1;
            nextDue += missed * interval;
            if (failure == null && !wasFailing) {
                // Its own if its poll alone outlasted a slot; else it started late, behind whoever held the line
                // longest between its slot and its start.
                LinePoll holder = t1 - t0 >= interval ? null : longestBetween(due, t0, d);
                if (holder == null) {
                    d.overran(missed);
                } else {
                    d.heldUp(missed, holder.device().meterNo(), (holder.t1() - holder.t0()) / 1e6);
                }
                overruns.add(missed);
            }
        }
        d.nextDueNanos[groupIndex] = nextDue;
        skipSlotsPassedDuring(d, t0, t1);
        remember(new LinePoll(d, t0, t1));
    }

    private void runTask(PolledDevice d, int index) {
        LineTask task = d.tasks().get(index);
        Instant now = clock.instant();
        long t0 = System.nanoTime();
        boolean retrying = d.taskFailures(index) > 0;
        try {
            boolean more = task.run(now);
            long t1 = System.nanoTime();
            d.taskDueNanos[index] = more ? t1 : t1 + task.every().toNanos();
            d.taskSucceeded(index, clock.instant(), more ? clock.instant() : clock.instant().plus(task.every()));
        } catch (DeviceException | RuntimeException e) {
            retrying = true;
            if (e instanceof RuntimeException) {
                LOG.log(Level.WARNING, "bus " + name + ", meter " + d.meterNo() + ", " + task.name()
                        + ": unexpected error", e);
            }
            Duration delay = backoff.delay(d.taskFailures(index) + 1, random);
            // Never more often than the task's own period: a refused profile is not retried every second.
            if (delay.compareTo(task.every()) > 0) {
                delay = task.every();
            }
            d.taskDueNanos[index] = System.nanoTime() + delay.toNanos();
            int inARow = d.taskFailed(index, e.getMessage(), clock.instant().plus(delay));
            if (inARow == 1) {
                LOG.info(() -> "bus " + name + ", meter " + d.meterNo() + ", " + task.name() + ": " + e.getMessage()
                        + "; retrying with backoff");
            }
        } finally {
            long t1 = System.nanoTime();
            // A long chunk holds the line as a poll does: neighbours it delayed are told whom they waited for,
            // and a failing task's timeouts come out of the retry share.
            if (retrying) {
                budget.spend(t1, t1 - t0);
            }
            skipSlotsPassedDuring(d, t0, t1);
            remember(new LinePoll(d, t0, t1));
        }
    }

    /**
     * Queues a write of {@code point} of {@code meterNo} for the bus thread: read the point, write it, read it back,
     * publish the meter's reading with the value read back.
     *
     * @throws IllegalArgumentException   for a meter that is not on this bus
     * @throws RejectedExecutionException when {@value #QUEUED_WRITES} writes are waiting already
     */
    public LineWrite write(String meterNo, Point point, PointValue value) {
        PolledDevice d = devices.stream().filter(x -> x.meterNo().equals(meterNo)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("meter " + meterNo + " is not on bus " + name));
        LineWrite w = new LineWrite(d, point, value);
        if (stopped || !writes.offer(w)) {
            throw new RejectedExecutionException(stopped ? "bus " + name + " is stopping"
                    : QUEUED_WRITES + " writes are waiting for bus " + name + " already");
        }
        return w;
    }

    /** Whether {@code meterNo} is polled by this scheduler. */
    public boolean polls(String meterNo) {
        return devices.stream().anyMatch(d -> d.meterNo().equals(meterNo));
    }

    private void runWrite(LineWrite w) {
        if (!w.take()) {
            return; // the caller gave up waiting
        }
        PolledDevice d = w.device();
        long t0 = System.nanoTime();
        try {
            PointValue before;
            try {
                before = d.reader().read(List.of(w.point())).get(w.point());
            } catch (RejectedException e) {
                // A device that will not read a point back may still take it (a write-only command register).
                before = new PointValue.Invalid(e.getMessage());
            }
            d.reader().write(w.point(), w.value());
            Map<Point, PointValue> after = d.reader().read(List.of(w.point()));
            hub.publishReading(d.reading(clock.instant(), after));
            w.result().complete(new LineWrite.Done(before, after.get(w.point())));
        } catch (DeviceException | UnsuitableValueException e) {
            w.result().completeExceptionally(e); // the device's refusal, or a value the caller got wrong: answered
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "bus " + name + ", meter " + d.meterNo() + ", write of " + w.point().name()
                    + ": unexpected error", e);
            w.result().completeExceptionally(e);
        } finally {
            long t1 = System.nanoTime();
            skipSlotsPassedDuring(d, t0, t1);
            remember(new LinePoll(d, t0, t1));
        }
    }

    private void remember(LinePoll p) {
        if (recent.size() == RECENT_POLLS) {
            recent.removeFirst();
        }
        recent.addLast(p);
    }

    /** Of the recent polls of other devices, the one that overlapped [from, to] the most; null if none did. */
    private LinePoll longestBetween(long from, long to, PolledDevice except) {
        LinePoll best = null;
        long bestOverlap = 0;
        for (LinePoll p : recent) {
            long overlap = Math.min(p.t1(), to) - Math.max(p.t0(), from);
            if (p.device() != except && overlap > bestOverlap) {
                best = p;
                bestOverlap = overlap;
            }
        }
        return best;
    }

    /**
     * The slots of the other devices that passed entirely while {@code holder}'s poll held the line are skipped
     * now, and counted against the holder: a neighbour that drips its answers shows as what it is, on every device
     * it held up, instead of as each victim's own overrun.
     */
    private void skipSlotsPassedDuring(PolledDevice holder, long t0, long t1) {
        if (t1 - t0 < shortestIntervalNanos) {
            return; // the skip after each poll keeps every healthy slot less than an interval behind
        }
        double holderMillis = (t1 - t0) / 1e6;
        for (PolledDevice e : devices) {
            if (e == holder) {
                continue;
            }
            for (int g = 0; g < e.nextDueNanos.length; g++) {
                long interval = e.groups().get(g).interval().toNanos();
                long behind = t1 - e.nextDueNanos[g];
                if (behind >= interval) {
                    long missed = behind / interval;
                    e.nextDueNanos[g] += missed * interval;
                    if (!e.failing(g)) {
                        e.heldUp(missed, holder.meterNo(), holderMillis);
                        overruns.add(missed);
                    }
                }
            }
        }
    }

    private synchronized void record(double seconds) {
        polls.increment();
        latencySum += seconds;
        latencyMax = Math.max(latencyMax, seconds);
    }

    private void onSuccess(PolledDevice d, int group, Map<Point, PointValue> values, Instant now, double seconds) {
        List<String> invalid = new ArrayList<>();
        String firstReason = null;
        for (var e : values.entrySet()) {
            if (e.getValue() instanceof PointValue.Invalid i) {
                invalid.add(e.getKey().name());
                firstReason = firstReason == null ? e.getKey().name() + ": " + i.reason() : firstReason;
            }
        }
        boolean allInvalid = !values.isEmpty() && invalid.size() == values.size();
        PolledDevice.Outcome o = d.succeeded(group, allInvalid ? MeterStatus.ERROR : MeterStatus.CONNECTED, now,
                seconds * 1000, invalid, firstReason);
        hub.publishStatus(new StatusReport(d.meterNo(), o.status(), now,
                o.status() == MeterStatus.CONNECTED ? null : d.lastError()));
        hub.publishReading(d.reading(now, values));
    }

    private void onFailure(PolledDevice d, int group, DeviceException e, Instant now, double seconds, long t1) {
        MeterStatus groupStatus = e.silent() ? MeterStatus.DISCONNECTED : MeterStatus.ERROR;
        String kind = switch (e) {
            case NoResponseException x -> "timeout";
            case LinkDownException x -> "link-down";
            case RejectedException x -> "rejected";
            case BadResponseException x -> "bad-response";
        };
        if (!kind.equals("bad-response") || !String.valueOf(e.getMessage()).startsWith("internal error")) {
            errors.get(kind).increment();
        }
        Duration delay = backoff.delay(d.groupFailures(group) + 1, random);
        d.retryAtNanos[group] = t1 + delay.toNanos();
        PolledDevice.Outcome o = d.failed(group, groupStatus, now, !e.silent(), seconds * 1000, e.getMessage(),
                now.plus(delay));
        if (o.groupFailures() == 1) {
            LOG.info(() -> "bus " + name + ", meter " + d.meterNo() + ": " + groupStatus + " (" + e.getMessage()
                    + "); retrying with backoff");
        }
        hub.publishStatus(new StatusReport(d.meterNo(), o.status(), d.lastSeen(),
                o.status() == MeterStatus.CONNECTED ? null : e.getMessage()));
    }

    public synchronized BusStats stats() {
        Map<String, Long> errs = new TreeMap<>();
        errors.forEach((k, v) -> errs.put(k, v.sum()));
        List<DeviceStats> ds = devices.stream().map(PolledDevice::stats).toList();
        return new BusStats(name, type, polls.sum(), errs, latencySum, latencyMax, overruns.sum(), deferred.sum(),
                line == null ? 0 : line.connects(), line == null ? 0 : line.lateRepliesDiscarded(), ds);
    }

    public List<PolledDevice> devices() {
        return devices;
    }

    /**
     * Tells the bus thread to stop after the exchange it is in, without waiting. A platform thread's socket or serial
     * read does not end on an interrupt, so a gateway with several buses stops them all first, then {@link #close}s
     * each: they wind down together, in the time of the slowest device timeout, not in the sum of them.
     */
    public void stop() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt(); // ends an idle wait between polls at once
        }
    }

    /** Stops polling (see {@link #stop}), waits for the bus thread, then closes every device and the connection. */
    @Override
    public void close() {
        stop();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (LineWrite w; (w = writes.poll()) != null; ) {
            if (w.take()) {
                w.result().completeExceptionally(new RejectedExecutionException("bus " + name + " stopped"));
            }
        }
        for (PolledDevice d : devices) {
            try {
                d.reader().close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing " + d.meterNo(), e);
            }
        }
        if (line != null) {
            try {
                line.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing bus " + name, e);
            }
        }
    }
}
