package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.security.Ciphering;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Faults a simulated meter injects, changeable at run time from any thread: silence (requests are read, nothing
 * is answered), a delay before every answer, data-access errors on chosen objects, broken outgoing frames
 * (a wrong frame check sequence, or a frame cut short), frames dripped byte by byte, and random bytes instead of
 * answers; and faults of the meter's records: rows missing from its buffers, a row stored twice, a clock that jumps,
 * a power outage.
 *
 * <p>Buffer faults change what a GET of a Profile Generic sees, not what the meter stores: {@link #clear()} brings
 * the rows back. Times are the meter's clock (the capture times in its buffers).
 */
public final class DlmsFaults {

    /** A span of meter time, both ends included. */
    record TimeRange(Instant from, Instant to) {
        TimeRange {
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("a time range ends before it starts: " + from + " .. " + to);
            }
        }
    }

    private volatile boolean silent;
    private volatile Duration delay = Duration.ZERO;
    private final Map<String, DataAccessResult> failures = new ConcurrentHashMap<>();
    private final AtomicInteger corruptFrames = new AtomicInteger();
    private final AtomicInteger truncatedFrames = new AtomicInteger();
    private volatile int answerSecurityControl = Ciphering.AUTHENTICATED_ENCRYPTED;
    private volatile int drip;
    private volatile boolean garbage;
    private final List<TimeRange> gaps = new CopyOnWriteArrayList<>();
    private final List<TimeRange> outages = new CopyOnWriteArrayList<>();
    private final List<Instant> duplicates = new CopyOnWriteArrayList<>();
    private Duration jumped = Duration.ZERO;
    /** Moves the meter clock; set by the simulator that owns these faults. */
    private volatile Consumer<Duration> clockShift = d -> { };

    void onClockJump(Consumer<Duration> shift) {
        this.clockShift = shift;
    }

    /** Reads requests but answers nothing (a meter that hangs, or the wrong address on a bus). */
    public DlmsFaults silence(boolean on) {
        this.silent = on;
        return this;
    }

    public boolean silent() {
        return silent;
    }

    /** Waits this long before every frame it sends. */
    public DlmsFaults delay(Duration d) {
        this.delay = d == null ? Duration.ZERO : d;
        return this;
    }

    public Duration delay() {
        return delay;
    }

    /** Every frame goes out byte by byte, {@code bytesPerSecond} of them a second (0: at once). */
    public DlmsFaults drip(int bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("drip must not be negative");
        }
        this.drip = bytesPerSecond;
        return this;
    }

    public int drip() {
        return drip;
    }

    /** Every frame goes out as random bytes of its length. */
    public DlmsFaults garbage(boolean on) {
        this.garbage = on;
        return this;
    }

    public boolean garbage() {
        return garbage;
    }

    /** Every GET of {@code obis}, any attribute, answers {@code result}. */
    public DlmsFaults failObject(ObisCode obis, DataAccessResult result) {
        failures.put(obis.toString(), result);
        return this;
    }

    /** GETs of one attribute answer {@code result}. */
    public DlmsFaults failAttribute(ObisCode obis, int attribute, DataAccessResult result) {
        failures.put(obis + "/" + attribute, result);
        return this;
    }

    public DlmsFaults clearDataAccessErrors() {
        failures.clear();
        return this;
    }

    /** The injected result for an attribute, if any. */
    public Optional<DataAccessResult> failure(ObisCode obis, int attribute) {
        DataAccessResult r = failures.get(obis + "/" + attribute);
        return Optional.ofNullable(r != null ? r : failures.get(obis.toString()));
    }

    /** The next {@code n} frames go out with a wrong frame check sequence (HDLC) or a wrong version (wrapper). */
    public DlmsFaults corruptNextFrames(int n) {
        corruptFrames.set(n);
        return this;
    }

    /** The next {@code n} frames go out cut to half their length. */
    public DlmsFaults truncateNextFrames(int n) {
        truncatedFrames.set(n);
        return this;
    }

    /**
     * Ciphered answers go out with this security control instead of authenticated+encrypted (0x30): 0x20
     * encrypted only, 0x10 authenticated only, 0x00 plain, as something tampering on the path would send them.
     */
    public DlmsFaults answerSecurityControl(int securityControl) {
        this.answerSecurityControl = securityControl;
        return this;
    }

    int answerSecurityControl() {
        return answerSecurityControl;
    }

    boolean takeCorrupt() {
        return corruptFrames.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }

    boolean takeTruncated() {
        return truncatedFrames.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }

    /**
     * The meter's buffers lose the rows captured from {@code from} to {@code to} (both included), as if the meter
     * had been off: a head-end finds a gap in the load profile and the daily values. Repeatable.
     */
    public DlmsFaults profileGap(Instant from, Instant to) {
        gaps.add(new TimeRange(from, to));
        return this;
    }

    /** The row captured at {@code captureTime} appears twice in a row, in every buffer holding one. Repeatable. */
    public DlmsFaults duplicateRow(Instant captureTime) {
        duplicates.add(captureTime);
        return this;
    }

    /**
     * The meter's clock jumps by {@code d} (negative: back) without the meter noticing: it reads the jumped time,
     * and later captures are stamped with it, so rows lie in the future or repeat times. Adds up;
     * {@link #clear()} jumps back by the total.
     */
    public DlmsFaults clockJump(Duration d) {
        synchronized (this) {
            jumped = jumped.plus(d);
        }
        clockShift.accept(d);
        return this;
    }

    /**
     * A power outage from {@code from} to {@code to}: the rows captured in it are missing (as {@link #profileGap}),
     * the first row after it carries the AMR status "power down" (0x80), and the event log shows power down (1) at
     * {@code from} and power up (2) at {@code to}, once the meter clock has passed them. Repeatable.
     */
    public DlmsFaults powerOutage(Instant from, Instant to) {
        outages.add(new TimeRange(from, to));
        return this;
    }

    List<TimeRange> profileGaps() {
        return List.copyOf(gaps);
    }

    List<TimeRange> powerOutages() {
        return List.copyOf(outages);
    }

    List<Instant> duplicateRows() {
        return List.copyOf(duplicates);
    }

    /** Back to a healthy meter: the buffer faults are gone and the clock jumps back by what it jumped. */
    public DlmsFaults clear() {
        Duration back;
        synchronized (this) {
            back = jumped.negated();
            jumped = Duration.ZERO;
        }
        if (!back.isZero()) {
            clockShift.accept(back);
        }
        gaps.clear();
        outages.clear();
        duplicates.clear();
        silent = false;
        delay = Duration.ZERO;
        failures.clear();
        corruptFrames.set(0);
        truncatedFrames.set(0);
        answerSecurityControl = Ciphering.AUTHENTICATED_ENCRYPTED;
        drip = 0;
        garbage = false;
        return this;
    }
}
