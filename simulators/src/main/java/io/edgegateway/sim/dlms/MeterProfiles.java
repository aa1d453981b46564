package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.AccessSelection;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.apdu.GetResult;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.cosem.CaptureObject;
import io.edgegateway.sim.model.SimulatedDevice;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/**
 * The simulated meter's Profile Generic objects and what fills them: load profile 1 (15 min), the daily values and
 * the standard event log.
 *
 * <p>At start the buffers already hold {@code history} of rows, made by {@link HistoryCurve} backwards from the
 * registers' values at start. Later rows are captured lazily: before any GET or SET is served, every capture
 * boundary the meter's clock has passed since the last capture is captured in time order, with the device model
 * moved forward to the real time of that boundary (no thread runs between requests). Capture times are the meter's
 * clock, so a meter whose clock is wrong stamps its rows wrong. Thread-safe (one lock).
 */
final class MeterProfiles {

    static final ObisCode LOAD_PROFILE = new ObisCode(1, 0, 99, 1, 0, 255);
    static final ObisCode DAILY = new ObisCode(1, 0, 99, 2, 0, 255);
    static final ObisCode EVENT_LOG = new ObisCode(0, 0, 99, 98, 0, 255);
    /** AMR profile status (Data): the status column of the load profiles. */
    static final ObisCode PROFILE_STATUS = new ObisCode(0, 0, 96, 10, 1, 255);
    /** Event code of the standard event log (Data): its second column. */
    static final ObisCode EVENT_CODE = new ObisCode(0, 0, 96, 11, 0, 255);

    /** Registers captured by load profile 1, after clock and status. */
    static final List<ObisCode> LOAD_PROFILE_REGISTERS = List.of(new ObisCode(1, 0, 1, 8, 0, 255),
            new ObisCode(1, 0, 2, 8, 0, 255), new ObisCode(1, 0, 3, 8, 0, 255), new ObisCode(1, 0, 4, 8, 0, 255),
            new ObisCode(1, 0, 32, 7, 0, 255), new ObisCode(1, 0, 1, 7, 0, 255));
    /** Registers captured by the daily profile, after clock and status. */
    static final List<ObisCode> DAILY_REGISTERS = LOAD_PROFILE_REGISTERS.subList(0, 4);

    /** AMR profile status bits: the interval saw a power failure; the clock was set in it. */
    static final long STATUS_POWER_DOWN = 0x80;
    static final long STATUS_CLOCK_ADJUSTED = 0x20;

    /** DLMS UA standard event codes. */
    static final int EVENT_POWER_DOWN = 1;
    static final int EVENT_POWER_UP = 2;
    static final int EVENT_CLOCK_OLD = 4;
    static final int EVENT_CLOCK_NEW = 5;
    static final int EVENT_TERMINAL_COVER_OPENED = 40;
    static final int EVENT_TERMINAL_COVER_CLOSED = 41;

    private static final long QUARTER = 900;
    private static final long DAY = 86_400;

    private final SimulatedDevice device;
    private final MeterClock clock;
    private final DlmsFaults faults;
    private final long seed;
    private final ProfileGeneric loadProfile;
    private final ProfileGeneric daily;
    private final ProfileGeneric events;
    private final List<ProfileGeneric> periodic;

    /**
     * @param registerColumn the column capturing a register, encoded as the live register is
     * @param history        how far back the buffers reach at start (as far as their capacity allows)
     */
    MeterProfiles(SimulatedDevice device, MeterClock clock, DlmsFaults faults, Function<ObisCode, BufferColumn>
            registerColumn, Duration history, long seed) {
        this.device = device;
        this.clock = clock;
        this.faults = faults;
        this.seed = seed;
        this.loadProfile = new ProfileGeneric(LOAD_PROFILE, columns(LOAD_PROFILE_REGISTERS, registerColumn), QUARTER,
                96 * 92);
        this.daily = new ProfileGeneric(DAILY, columns(DAILY_REGISTERS, registerColumn), DAY, 400);
        this.events = new ProfileGeneric(EVENT_LOG, List.of(BufferColumn.clock(),
                BufferColumn.unsigned(new CaptureObject(1, EVENT_CODE, 2, 0))), 0, 500);
        this.periodic = List.of(loadProfile, daily);
        fillHistory(history);
    }

    private static List<BufferColumn> columns(List<ObisCode> registers, Function<ObisCode, BufferColumn> column) {
        List<BufferColumn> out = new ArrayList<>();
        out.add(BufferColumn.clock());
        out.add(BufferColumn.unsigned(new CaptureObject(1, PROFILE_STATUS, 2, 0)));
        registers.forEach(o -> out.add(column.apply(o)));
        return out;
    }

    /** The Profile Generic objects, for the Association's object list. */
    List<ProfileGeneric> objects() {
        return List.of(loadProfile, daily, events);
    }

    boolean has(ObisCode obis) {
        return find(obis) != null;
    }

    private ProfileGeneric find(ObisCode obis) {
        for (ProfileGeneric p : objects()) {
            if (p.obis().equals(obis)) {
                return p;
            }
        }
        return null;
    }

    // ---- serving -----------------------------------------------------------------------------------------

    /**
     * An attribute of a Profile Generic, captures brought up to date first; null when {@code obis} is not one.
     * Selective access applies to the buffer only; on another attribute it answers other-reason.
     */
    synchronized GetResult get(ObisCode obis, int attribute, AccessSelection access) {
        ProfileGeneric p = find(obis);
        if (p == null) {
            return null;
        }
        catchUp();
        BufferView rows = view(p);
        if (attribute == 2) {
            return p.buffer(access, rows, clock);
        }
        if (access != null) {
            return new GetResult.Failure(DataAccessResult.OTHER_REASON);
        }
        DlmsData d = p.attribute(attribute, rows);
        return d == null ? new GetResult.Failure(DataAccessResult.OBJECT_UNDEFINED) : new GetResult.Value(d);
    }

    /** The AMR profile status of the newest load profile row (0 when empty). */
    synchronized long profileStatus() {
        catchUp();
        return view(loadProfile).newest(1, 0);
    }

    /** The newest event code of the standard event log (0 when empty). */
    synchronized long lastEventCode() {
        catchUp();
        return view(events).newest(1, 0);
    }

    // ---- capturing ---------------------------------------------------------------------------------------

    /** Captures every boundary the meter clock has passed, oldest first across the profiles. */
    synchronized void catchUp() {
        long now = clock.now().getEpochSecond();
        while (true) {
            ProfileGeneric next = null;
            for (ProfileGeneric p : periodic) {
                if (p.nextCapture <= now && (next == null || p.nextCapture < next.nextCapture)) {
                    next = p;
                }
            }
            if (next == null) {
                return;
            }
            // Idle for longer than the buffer holds: rows that would fall out at once are not captured.
            long behind = (now - next.nextCapture) / next.period();
            if (behind > next.buffer().capacity()) {
                next.nextCapture += (behind - next.buffer().capacity()) * next.period();
                continue;
            }
            capture(next, next.nextCapture);
            next.nextCapture = clock.boundaryAfter(next.nextCapture, next.period());
        }
    }

    private void capture(ProfileGeneric p, long at) {
        Instant real = clock.trueTime(Instant.ofEpochSecond(at));
        List<BufferColumn> cols = p.columns();
        long[] row = new long[cols.size()];
        for (int i = 0; i < row.length; i++) {
            BufferColumn c = cols.get(i);
            if (c.isClock()) {
                row[i] = at;
            } else if (c.register() != null) {
                row[i] = MeterObjects.raw(c.register(), c.encoding(), device.valueAt(c.register(), real));
            } else {
                row[i] = p.pendingStatus;
            }
        }
        p.pendingStatus = 0;
        p.buffer().add(row);
    }

    private void log(int code, Instant meterTime) {
        events.buffer().add(meterTime.getEpochSecond(), code);
    }

    /**
     * A client set the clock: rows up to now are captured on the old clock, events 4 (old time) and 5 (new time)
     * are logged, the next rows carry "clock adjusted" and fall on the new clock's boundaries.
     */
    synchronized void setClock(Instant meterTime) {
        catchUp();
        Instant old = clock.now();
        clock.set(meterTime);
        log(EVENT_CLOCK_OLD, old);
        log(EVENT_CLOCK_NEW, meterTime);
        for (ProfileGeneric p : periodic) {
            p.pendingStatus |= STATUS_CLOCK_ADJUSTED;
            p.nextCapture = clock.boundaryAfter(meterTime.getEpochSecond(), p.period());
        }
    }

    /**
     * The clock jumps by {@code d} without the meter noticing (no event, no status): later rows carry the jumped
     * clock, lying in the future or repeating times.
     */
    synchronized void jumpClock(Duration d) {
        catchUp();
        clock.shift(d);
        long now = clock.now().getEpochSecond();
        for (ProfileGeneric p : periodic) {
            p.nextCapture = clock.boundaryAfter(now, p.period());
        }
    }

    // ---- faults ------------------------------------------------------------------------------------------

    /** The rows a GET sees: gaps and outages hide rows, duplicates repeat them, outages add events and flags. */
    private BufferView view(ProfileGeneric p) {
        List<DlmsFaults.TimeRange> gaps = faults.profileGaps();
        List<DlmsFaults.TimeRange> outages = faults.powerOutages();
        Set<Long> duplicates = new HashSet<>();
        faults.duplicateRows().forEach(t -> duplicates.add(t.getEpochSecond()));
        if (gaps.isEmpty() && outages.isEmpty() && duplicates.isEmpty()) {
            return BufferView.of(p.buffer());
        }
        CaptureBuffer b = p.buffer();
        BufferView v = new BufferView(b);
        if (p.periodic()) {
            for (int i = 0; i < b.size(); i++) {
                long t = b.get(i, 0);
                if (within(t, gaps) || within(t, outages)) {
                    continue;
                }
                boolean afterOutage = false;
                for (DlmsFaults.TimeRange o : outages) {
                    long end = o.to().getEpochSecond();
                    afterOutage |= t > end && t - p.period() <= end;
                }
                if (afterOutage) {
                    long[] row = new long[b.width()];
                    for (int c = 0; c < row.length; c++) {
                        row[c] = b.get(i, c);
                    }
                    row[1] |= STATUS_POWER_DOWN;
                    v.addRow(row);
                } else {
                    v.addStored(i);
                }
                if (duplicates.contains(t)) {
                    v.repeatLast();
                }
            }
            return v;
        }
        long now = clock.now().getEpochSecond();
        List<long[]> added = new ArrayList<>();
        for (DlmsFaults.TimeRange o : outages) {
            if (o.from().getEpochSecond() <= now) {
                added.add(new long[] {o.from().getEpochSecond(), EVENT_POWER_DOWN});
            }
            if (o.to().getEpochSecond() <= now) {
                added.add(new long[] {o.to().getEpochSecond(), EVENT_POWER_UP});
            }
        }
        added.sort(Comparator.comparingLong(r -> r[0]));
        int k = 0;
        for (int i = 0; i < b.size(); i++) {
            long t = b.get(i, 0);
            while (k < added.size() && added.get(k)[0] <= t) {
                addEvent(v, added.get(k++), duplicates);
            }
            v.addStored(i);
            if (duplicates.contains(t)) {
                v.repeatLast();
            }
        }
        while (k < added.size()) {
            addEvent(v, added.get(k++), duplicates);
        }
        return v;
    }

    private static void addEvent(BufferView v, long[] row, Set<Long> duplicates) {
        v.addRow(row);
        if (duplicates.contains(row[0])) {
            v.repeatLast();
        }
    }

    private static boolean within(long t, List<DlmsFaults.TimeRange> ranges) {
        for (DlmsFaults.TimeRange r : ranges) {
            if (t >= r.from().getEpochSecond() && t <= r.to().getEpochSecond()) {
                return true;
            }
        }
        return false;
    }

    // ---- history -----------------------------------------------------------------------------------------

    private void fillHistory(Duration history) {
        long meterStart = clock.now().getEpochSecond();
        long offset = clock.offset().getSeconds();
        long depth = Math.max(0, history.getSeconds());
        for (ProfileGeneric p : periodic) {
            p.nextCapture = clock.boundaryAfter(meterStart, p.period());
        }
        if (depth == 0) {
            return;
        }
        Instant realStart = Instant.ofEpochSecond(meterStart - offset);
        device.model().advance(realStart);
        long oldestRow = meterStart;
        for (ProfileGeneric p : periodic) {
            long rows = Math.min(p.buffer().capacity(), depth / p.period());
            oldestRow = Math.min(oldestRow, clock.boundaryAtOrBefore(meterStart, p.period()) - rows * p.period());
        }
        HistoryCurve curve = new HistoryCurve(seed, realStart, Instant.ofEpochSecond(oldestRow - offset),
                start("power.active.total"), start("energy.active.import"), start("energy.reactive.import"));
        List<long[]> past = pastEvents(meterStart, depth);
        Set<Long> outageEnds = new HashSet<>();
        for (long[] e : past) {
            if (e[1] == EVENT_POWER_UP) {
                outageEnds.add(e[0]);
            }
        }
        for (ProfileGeneric p : periodic) {
            long rows = Math.min(p.buffer().capacity(), depth / p.period());
            long newest = clock.boundaryAtOrBefore(meterStart, p.period());
            Set<Long> flagged = new HashSet<>();
            for (long end : outageEnds) {
                long b = clock.boundaryAtOrBefore(end, p.period());
                flagged.add(b == end ? b : b + p.period());
            }
            for (long t = newest - (rows - 1) * p.period(); t <= newest; t += p.period()) {
                p.buffer().add(historicRow(p, t, t - offset, curve, flagged.contains(t)));
            }
        }
        int from = Math.max(0, past.size() - events.buffer().capacity());
        for (long[] e : past.subList(from, past.size())) {
            events.buffer().add(e);
        }
    }

    private long[] historicRow(ProfileGeneric p, long at, long real, HistoryCurve curve, boolean powerDown) {
        List<BufferColumn> cols = p.columns();
        long[] row = new long[cols.size()];
        for (int i = 0; i < row.length; i++) {
            BufferColumn c = cols.get(i);
            if (c.isClock()) {
                row[i] = at;
            } else if (c.register() != null) {
                double base = historic(c.register().quantity(), real, curve);
                row[i] = MeterObjects.raw(c.register(), c.encoding(), device.pointValue(c.register(), base));
            } else {
                row[i] = powerDown ? STATUS_POWER_DOWN : 0;
            }
        }
        return row;
    }

    /** A quantity's value at real time {@code t}: from the curve where it moves, else its value at start. */
    private double historic(String quantity, long t, HistoryCurve curve) {
        return switch (quantity) {
            case "energy.active.import" -> curve.activeImport(t);
            case "energy.reactive.import" -> curve.reactiveImport(t);
            case "energy.active.total" -> curve.activeImport(t) + start("energy.active.export");
            case "energy.reactive.total" -> curve.reactiveImport(t) + start("energy.reactive.export");
            case "power.active.total" -> curve.power(t);
            case "power.reactive.total" -> curve.reactivePower(t);
            case "voltage.l1", "voltage.l2", "voltage.l3", "voltage.ln.avg" -> curve.voltage(t);
            default -> start(quantity);
        };
    }

    private double start(String quantity) {
        OptionalDouble v = device.model().value(quantity);
        return v.orElse(0);
    }

    /**
     * Events of the past, oldest first: a short power failure at night on about one day in four (inside one
     * quarter hour, so no load profile row is lost, only flagged), and the terminal cover opened once, 20 days
     * before start, and closed again.
     */
    private List<long[]> pastEvents(long meterStart, long depth) {
        long oldest = meterStart - depth;
        long shift = clock.deviation() * 60L;
        List<long[]> out = new ArrayList<>();
        for (long day = Math.floorDiv(oldest - shift, DAY); day <= Math.floorDiv(meterStart - shift, DAY); day++) {
            long m = HistoryCurve.mix(seed, day);
            if (Math.floorMod(m, 4) != 0) {
                continue;
            }
            long quarter = 4 + Math.floorMod(m >>> 8, 16);
            long down = day * DAY + quarter * QUARTER + 60 + Math.floorMod(m >>> 16, 300) + shift;
            long up = down + 60 + Math.floorMod(m >>> 32, 400);
            if (down > oldest && up <= meterStart) {
                out.add(new long[] {down, EVENT_POWER_DOWN});
                out.add(new long[] {up, EVENT_POWER_UP});
            }
        }
        long cover = clock.boundaryAtOrBefore(meterStart - 20 * DAY, DAY) + 10 * 3600 + 42 * 60 + 17;
        if (cover > oldest && cover + 95 <= meterStart) {
            out.add(new long[] {cover, EVENT_TERMINAL_COVER_OPENED});
            out.add(new long[] {cover + 95, EVENT_TERMINAL_COVER_CLOSED});
        }
        out.sort(Comparator.comparingLong(r -> r[0]));
        return out;
    }
}
