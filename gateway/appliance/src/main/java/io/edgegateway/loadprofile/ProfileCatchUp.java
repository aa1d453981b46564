package io.edgegateway.loadprofile;

import io.edgegateway.config.LoadProfileConfig;
import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.cosem.BufferSelection;
import io.edgegateway.dlms.cosem.CaptureObject;
import io.edgegateway.dlms.cosem.LoadProfile;
import io.edgegateway.dlms.cosem.ProfileColumn;
import io.edgegateway.dlms.cosem.ProfileRow;
import io.edgegateway.dlms.cosem.StandardEvent;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.poll.LineTask;
import io.edgegateway.reading.ProfileEntry;
import io.edgegateway.reading.Reading;
import io.edgegateway.store.StoreReader;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one Profile Generic of one meter into the gateway: at start-up and every {@code every}, the rows
 * captured from the last stored one to now, asked by range on the clock column, in chunks of about a day so the
 * line's polls get their turn. Each row is published (and so stored and streamed) once: rows already stored, a
 * row the meter sends twice, a row stamped in the future, a row older than the last stored one and a row without a
 * usable time are counted and shown, never stored.
 *
 * <p>Columns: the clock column is the row's timestamp; a captured register that one of the device's points reads
 * (same class and OBIS) takes that point's name; any other column its OBIS code. Units are the registers' own
 * (scaler_unit). An event log row also names its event code ({@code "event":"power down"}). Runs on the bus thread
 * only.
 */
public final class ProfileCatchUp implements LineTask {

    /** Rows per request: a day of 15-minute intervals, about 5 KB, a few seconds at 9600 baud. */
    static final int ROWS_PER_CHUNK = 96;
    /** Event logs have no period; they are read a week at a time. */
    private static final Duration EVENT_LOG_CHUNK = Duration.ofDays(7);
    /** A meter's clock ahead of ours by less than this is not "in the future": the row was just captured. */
    private static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(2);
    private static final Duration LOOK_AHEAD = Duration.ofHours(1);
    private static final int SKIP_AFTER = 3;
    /** The column naming an event log row's code; no captured column takes this name. */
    private static final String EVENT = "event";

    private final String meterNo;
    private final DlmsMeter meter;
    private final LoadProfileConfig config;
    private final EventHub hub;
    private final StoredRows stored;
    private final Duration retention;
    /** The device's points reading a register's value (attribute 2), by address: they name the same columns. */
    private final Map<CosemAddress, Point> pointsByAddress = new HashMap<>();
    private final String profile;
    private final Clock clock;
    /** Column points, made once per column set so the store keys them by instance. */
    private List<ProfileColumn> columnsNamed;
    private List<Point> columnPoints;
    /** Which column holds an event log row's event code, -1 if none. */
    private int eventColumn = -1;
    private Point eventPoint;

    private boolean loaded;
    /** Without a stored row yet: how far the last run asked, so an empty meter is not asked for the backfill again. */
    private Instant searchedTo;
    private Instant stuckAt;
    private Instant skippedTo;
    private int failuresAt;
    private long skippedRanges;
    /** The newest future-stamped time counted, so rows asked again every run are counted once. */
    private Instant futureSeen = Instant.MIN;
    /** The newest stored row's capture time, and how many rows share it (event logs log several per second). */
    private Instant last;
    private int rowsAtLast;
    /** Where the next chunk starts while catching up; null when caught up (the next read starts at {@link #last}). */
    private Instant scanFrom;
    private Duration period = Duration.ZERO;
    private int deviation;

    private long rowsStored;
    private long alreadyStored;
    private long duplicates;
    private long future;
    private long outOfOrder;
    private long undated;
    private long missing;
    private Instant caughtUpAt;

    /**
     * @param points    the device's points, to name the columns that capture the same registers
     * @param retention the store's retention: rows older than it are not asked for
     */
    public ProfileCatchUp(String meterNo, DlmsMeter meter, LoadProfileConfig config, List<Point> points, EventHub hub,
                          StoredRows stored, Duration retention, Clock clock) {
        this.meterNo = meterNo;
        this.clock = clock;
        this.meter = meter;
        this.config = config;
        this.hub = hub;
        this.stored = stored;
        this.retention = retention;
        this.profile = config.obis().toString();
        for (Point p : points) {
            if (p.address() instanceof CosemAddress a && a.attribute() == 2) {
                pointsByAddress.putIfAbsent(a, p);
            }
        }
    }

    @Override
    public String name() {
        return (config.eventLog() ? "event log " : "load profile ") + profile;
    }

    @Override
    public Duration every() {
        return config.every();
    }

    @Override
    public boolean run(Instant now) throws DeviceException {
        boolean cycleStart;
        synchronized (this) {
            cycleStart = scanFrom == null;
        }
        if (cycleStart) {
            startCycle();
        }
        Instant floor = now.minus(config.backfill());
        Instant kept = now.minus(retention);
        if (floor.isBefore(kept)) {
            floor = kept; // the store would prune them at once
        }
        Instant from;
        synchronized (this) {
            Instant base = last != null ? last : searchedTo != null ? searchedTo : floor;
            if (skippedTo != null && skippedTo.isAfter(base)) {
                base = skippedTo; // a range given up on is not asked again
            }
            from = scanFrom != null ? scanFrom : base;
        }
        if (from.isBefore(floor)) {
            from = floor; // down longer than the backfill: what is older is left to the meter
        }
        Duration chunk = period.isZero() ? EVENT_LOG_CHUNK : period.multipliedBy(ROWS_PER_CHUNK);
        Instant to = from.plus(chunk).isBefore(now) ? from.plus(chunk) : now;
        // The last chunk asks past now: a meter whose clock runs fast shows its rows, to be counted, not stored.
        Instant asked = to.equals(now) ? now.plus(LOOK_AHEAD) : to;
        LoadProfile read;
        try {
            read = meter.readProfile(config.obis(), BufferSelection.ByRange.ofClock(
                    CosemDateTime.of(from, deviation, 0xFF), CosemDateTime.of(asked, deviation, 0xFF)));
        } catch (RejectedException | BadResponseException e) {
            skipIfStuck(from, to, now);
            throw e;
        }
        List<ProfileEntry> fresh = accept(read, from, now);
        if (!fresh.isEmpty()) {
            hub.publishEntries(fresh);
        }
        boolean more = to.isBefore(now);
        synchronized (this) {
            failuresAt = 0;
            scanFrom = more ? to : null;
            searchedTo = to; // without a stored row, the next cycle goes on from here, not from the backfill again
            if (!more) {
                caughtUpAt = now;
            }
        }
        return more;
    }

    /**
     * Each cycle: the meter's deviation (ranges are asked in its local time, and it changes with daylight saving),
     * its capture period (it sizes the chunks), and where the store's rows end. The store is asked every cycle, not
     * only at start-up: rows it could not keep (a full queue, a failing disk) are read from the meter again.
     */
    private void startCycle() throws DeviceException {
        int dev = meter.readClock(clock).meterTime().knownDeviation();
        Duration p = loaded && !period.isZero() ? period : meter.describeProfile(config.obis()).capturePeriod();
        Optional<StoreReader.LastEntry> l = Optional.empty();
        if (stored.keeps() || !loaded) {
            try {
                l = stored.last(meterNo, profile);
            } catch (Exception e) {
                throw new RejectedException("cannot read the store for the last row of " + profile + ": "
                        + e.getMessage() + "; not reading the meter until it can", -1);
            }
        }
        synchronized (this) {
            deviation = dev;
            period = p;
            if (stored.keeps()) {
                last = l.map(StoreReader.LastEntry::captured).orElse(null);
                rowsAtLast = l.map(StoreReader.LastEntry::rowsAtThatTime).orElse(0);
            }
            loaded = true;
        }
    }

    /**
     * A range the meter refuses or answers with garbage every time must not hold the profile back for good: after
     * three failures in a row it is skipped, counted, and the next one asked.
     */
    private synchronized void skipIfStuck(Instant from, Instant to, Instant now) {
        if (!from.equals(stuckAt)) {
            stuckAt = from;
            failuresAt = 0;
        }
        if (++failuresAt >= SKIP_AFTER) {
            skippedRanges++;
            failuresAt = 0;
            scanFrom = to.isBefore(now) ? to : null;
            skippedTo = to;
        }
    }

    /** The rows that are new, in order, with the counters moved for the rest. */
    private synchronized List<ProfileEntry> accept(LoadProfile read, Instant from, Instant now) {
        period = read.capturePeriod();
        List<ProfileEntry> out = new ArrayList<>();
        Instant previous = null;
        int sameTime = 0;
        Instant limit = now.plus(FUTURE_TOLERANCE);
        for (ProfileRow row : read.rows()) {
            if (!row.trustworthy()) {
                undated++;
                continue;
            }
            Instant t = row.time();
            if (t.isAfter(limit)) {
                if (t.isAfter(futureSeen)) {
                    future++;
                    futureSeen = t;
                }
                continue;
            }
            if (t.isBefore(from) || last != null && t.isBefore(last)) {
                outOfOrder++;
                continue;
            }
            if (previous != null && t.isBefore(previous)) {
                outOfOrder++;
                continue;
            }
            sameTime = t.equals(previous) ? sameTime + 1 : 0;
            previous = t;
            int ordinal = sameTime;
            if (!config.eventLog() && ordinal > 0) {
                duplicates++; // one interval per time: the meter sent this one twice
                continue;
            }
            if (last != null && t.equals(last) && ordinal < rowsAtLast) {
                alreadyStored++; // the range includes its start: the last stored row comes back
                continue;
            }
            // A hole in the meter's own buffer; what the gateway chose not to ask for (before `from`) is not one.
            Instant expectedAfter = last == null || last.isBefore(from) ? null : last;
            if (!config.eventLog() && !period.isZero() && expectedAfter != null
                    && t.isAfter(expectedAfter.plus(period))) {
                missing += Duration.between(expectedAfter, t).dividedBy(period) - 1;
            }
            out.add(new ProfileEntry(profile, ordinal, reading(read, row)));
            if (t.equals(last)) {
                rowsAtLast++;
            } else {
                last = t;
                rowsAtLast = 1;
            }
            rowsStored++;
        }
        return out;
    }

    private Reading reading(LoadProfile read, ProfileRow row) {
        List<Point> points = points(read.columns());
        Map<Point, PointValue> values = new LinkedHashMap<>();
        String eventName = null;
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p == null) {
                continue; // the clock column: the row's timestamp
            }
            PointValue v = row.values().get(i);
            values.put(p, v);
            if (i == eventColumn && v instanceof PointValue.Number n) {
                eventName = StandardEvent.name(n.value().intValue()).orElse("manufacturer-specific");
            }
        }
        if (eventName != null) {
            if (eventPoint == null) {
                eventPoint = column(EVENT, new CosemAddress(1, config.obis(), 2), "");
            }
            values.put(eventPoint, new PointValue.Text(eventName));
        }
        return Reading.of(meterNo, row.time(), values);
    }

    /** One point per column (null for the clock), made again only when the meter's columns change. */
    private List<Point> points(List<ProfileColumn> columns) {
        if (columns.equals(columnsNamed)) {
            return columnPoints;
        }
        List<Point> out = new ArrayList<>(columns.size());
        Set<String> used = new HashSet<>(Set.of(EVENT));
        boolean clockSeen = false;
        eventColumn = -1;
        for (ProfileColumn c : columns) {
            CaptureObject o = c.object();
            if (config.eventLog() && eventColumn < 0 && StandardEvent.isEventCode(o.obis())) {
                eventColumn = out.size();
            }
            if (o.isClock() && !clockSeen) {
                clockSeen = true;
                out.add(null);
                continue;
            }
            CosemAddress address = new CosemAddress(o.classId(), o.obis(), o.attribute());
            Point named = pointsByAddress.get(address);
            String name = named != null ? named.name() : o.obis().toString();
            if (!used.add(name)) {
                name = o.toString(); // two attributes of one object (a value and its capture time): "4/1.0.1.6.0.255/5"
                used.add(name);
            }
            out.add(column(name, address, c.unitSymbol()));
        }
        columnsNamed = columns;
        columnPoints = out;
        return out;
    }

    /** A column as the meter sent it: its own precision, no deadband (rows are never filtered). */
    private static Point column(String name, CosemAddress address, String unit) {
        return new Point(name, address, Scaling.NONE, Point.AS_DECODED, unit, BigDecimal.ZERO, Map.of(), "", "");
    }

    @Override
    public synchronized Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("profile", profile);
        if (last != null) {
            d.put("lastCapture", last);
        }
        if (caughtUpAt != null) {
            d.put("caughtUpAt", caughtUpAt);
        }
        if (scanFrom != null) {
            d.put("catchingUpFrom", scanFrom);
        }
        d.put("capturePeriodSeconds", period.toSeconds());
        d.put("rowsStored", rowsStored);
        d.put("rowsAlreadyStored", alreadyStored);
        d.put("duplicateRows", duplicates);
        d.put("futureRows", future);
        d.put("outOfOrderRows", outOfOrder);
        d.put("undatedRows", undated);
        d.put("missingIntervals", missing);
        d.put("skippedRanges", skippedRanges);
        return d;
    }
}
