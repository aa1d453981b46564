package io.edgegateway.store;

import io.edgegateway.alert.AlertBook;
import io.edgegateway.alert.AlertQuery;
import io.edgegateway.alert.Occurrence;
import io.edgegateway.config.StorageConfig;
import io.edgegateway.hub.EventLog;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.reading.Alert;
import io.edgegateway.reading.ProfileEntry;
import io.edgegateway.hub.SubscriptionFilter;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The reading store: every event the hub publishes (readings as the values that changed, status transitions)
 * in one SQLite file, kept for {@code retention} and under {@code max-size}.
 *
 * <p>Writing is off the poll path: the hub hands events to a bounded queue, and one writer thread commits them
 * in one transaction every {@code commit-interval} (or each before clients see it, with an interval of zero).
 * A disk that is full, read-only or failing, or a file that is corrupt, never stops polling or streaming: the
 * store shows ERROR with the reason in {@link #health()}, keeps what it can in its bounded queue, records the
 * ids it could not keep as gaps (a resuming client is told of them), and tries again with backoff. A corrupt
 * file is moved aside under a dated name and a new one started.
 *
 * <p>Each run of the gateway reserves its range of event ids in the file before it publishes: after a crash the
 * next run knows which ids may have been published and not saved, and says so as a gap.
 */
public final class EventStore implements EventLog, AlertBook, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventStore.class.getName());

    static final int DELTA = 1;
    static final int KEYFRAME = 2;
    static final int STATUS = 3;
    /** A Profile Generic row; its key is in the interval table. */
    static final int INTERVAL = 4;
    /** An alert's new state; body: its documented JSON in UTF-8 (alerts are rare, and read back whole). */
    static final int ALERT = 5;
    /** Every this many stored readings of a meter, one carries every value: a reading is rebuilt from at most so many. */
    static final int KEYFRAME_EVERY = 64;
    /**
     * Events held for the writer, queued and being committed each: at most about 30 MB of 52-point readings in
     * all (a reading with its rendered JSON is some 7 KB), and some 20 s of a busy gateway's events.
     */
    private static final int QUEUE = 2048;
    /** Bytes per page of a new file. */
    static final int PAGE_SIZE = 1024;
    /** Queued events at which the writer commits before its interval is up. */
    private static final int EARLY_COMMIT = QUEUE / 4;
    private static final String BEHIND = "the disk is behind: events arrive faster than they are written";
    /** Ids a run reserves at a time (extended as it goes): a crashed run's unsaved ids lie below the reservation. */
    private static final long RESERVE = 10_000_000L;
    private static final Duration MAINTENANCE = Duration.ofSeconds(60);
    private static final int PRUNE_STEP = 10_000;
    private static final int PRUNE_STEPS = 50;
    private static final DateTimeFormatter ASIDE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Ids {@code fromId}..{@code toId} (inclusive) that were published and not kept. */
    record Gap(long fromId, long toId, String reason) {
    }

    private final StorageConfig config;
    private final Clock clock;
    private final PointCatalog catalog;
    private final ArrayBlockingQueue<HubEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Semaphore wake = new Semaphore(0);
    private final Object writeLock = new Object();
    private final List<Gap> gaps = new CopyOnWriteArrayList<>();
    /** Readers' cursors as saved, and those not yet written (written with the next commit). */
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final Map<String, Long> unsavedCursors = new ConcurrentHashMap<>();
    private final LongAdder written = new LongAdder();
    private final LongAdder valuesWritten = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder duplicateEntries = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    private final Thread writer;

    // Written under writeLock (or by the writer thread alone), read without it.
    private volatile StoreHealth.State state;
    private volatile String reason;
    private volatile long committedId;
    private volatile long oldestId;
    private volatile long appendedId;
    /** The newest alert event appended: a read of the alert rows waits for it alone to be committed. */
    private volatile long lastAlertId;
    /** The first event appended while the file held none: replayable once flushed. */
    private volatile long firstAppendedId;
    private volatile boolean closed;
    private volatile boolean flushRequested;
    /** The size of {@code pending}, for {@link #health()} without waiting for a commit to end. */
    private volatile int pendingCount;

    // Writer state, under writeLock.
    private Connection db;
    private final ArrayDeque<HubEvent> pending = new ArrayDeque<>();
    private final List<Gap> unsavedGaps = new ArrayList<>();
    private final Map<String, WriterMeter> meters = new HashMap<>();
    private long runRow;
    private long reservedTo;
    private long nextOpenAttemptNanos;
    private int failures;

    /** What the writer last stored of a meter, to store the next reading as the values that changed. */
    private static final class WriterMeter {
        /** By Point instance, the point's id and what was last stored of it: one identity lookup per value. */
        final IdentityHashMap<Point, StoredPoint> byPoint = new IdentityHashMap<>();
        /** The same slots by id: instances of one rendering (a reloaded profile) share what was stored of it. */
        final Map<Integer, StoredPoint> byId = new HashMap<>();
        int sinceKeyframe = KEYFRAME_EVERY;

        StoredPoint slot(Point p, PointCatalog catalog, Connection db, String meterNo) throws SQLException {
            StoredPoint slot = byPoint.get(p);
            if (slot == null) {
                slot = byId.computeIfAbsent(catalog.pointIds(meterNo).id(db, p), StoredPoint::new);
                byPoint.put(p, slot);
            }
            return slot;
        }
    }

    /** A point's id in the file, and the value the writer last stored for it (null before the first). */
    private static final class StoredPoint {
        final int id;
        PointValue stored;

        StoredPoint(int id) {
            this.id = id;
        }
    }

    private EventStore(StorageConfig config, Map<String, List<Point>> pointsByMeter, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.catalog = new PointCatalog(pointsByMeter);
        this.state = config.enabled() ? StoreHealth.State.OK : StoreHealth.State.DISABLED;
        this.writer = config.enabled() ? Thread.ofPlatform().daemon().name("store-writer").unstarted(this::run) : null;
    }

    /**
     * Opens (or creates) the file and starts the writer. Never throws for the disk's sake: a file that cannot be
     * opened leaves the store in ERROR, retrying, while the gateway runs on.
     *
     * @param pointsByMeter the configured points, to rebuild readings with
     */
    public static EventStore open(StorageConfig config, Map<String, List<Point>> pointsByMeter, Clock clock) {
        EventStore s = new EventStore(config, pointsByMeter, clock);
        if (config.enabled()) {
            synchronized (s.writeLock) {
                s.openFile();
            }
            s.writer.start();
        }
        return s;
    }

    // ---- opening -------------------------------------------------------------------------------------------

    /** Opens the file; a corrupt one is moved aside and a new one started. Under writeLock. */
    private void openFile() {
        Path path = config.path();
        try {
            try {
                db = connect(path, false);
                check(db);
            } catch (SQLException e) {
                if (!corrupt(e)) {
                    throw e;
                }
                closeQuietly(db);
                db = null;
                Path aside = moveAside(path);
                LOG.warning("store " + path + " is corrupt (" + describe(e) + "): moved aside to " + aside
                        + "; starting a new file");
                db = connect(path, false);
            }
            Schema.migrate(db, Schema.VERSION);
            catalog.load(db);
            try (Statement s = db.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT min(id), max(id) FROM event")) {
                    r.next();
                    oldestId = r.getLong(1);
                    committedId = Math.max(committedId, r.getLong(2));
                }
                try (ResultSet r = s.executeQuery("SELECT reader, event_id FROM cursor")) {
                    while (r.next()) {
                        cursors.putIfAbsent(r.getString(1), r.getLong(2));
                    }
                }
                gaps.clear();
                try (ResultSet r = s.executeQuery("SELECT from_id, to_id, reason FROM gap ORDER BY from_id")) {
                    while (r.next()) {
                        gaps.add(new Gap(r.getLong(1), r.getLong(2), r.getString(3)));
                    }
                }
            }
            gaps.addAll(unsavedGaps);
            failures = 0;
            setState(StoreHealth.State.OK, null);
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(db);
            db = null;
            fail("cannot open " + path + ": " + describe(e));
        }
    }

    private static Connection connect(Path path, boolean readOnly) throws SQLException, IOException {
        if (!readOnly && path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        SQLiteConfig c = new SQLiteConfig();
        c.setReadOnly(readOnly);
        c.setBusyTimeout(5000);
        Connection conn = DriverManager.getConnection("jdbc:sqlite:" + path, c.toProperties());
        if (!readOnly) {
            try (Statement s = conn.createStatement()) {
                // These two take effect on a new file only, and before it turns to WAL. A commit writes whole pages
                // to the log, so small pages write a quarter of what 4 KB ones do (SD-card wear); with incremental
                // auto-vacuum, pruned pages can be given back when the file is over its size.
                s.execute("PRAGMA page_size = " + PAGE_SIZE);
                s.execute("PRAGMA auto_vacuum = INCREMENTAL");
                s.execute("PRAGMA journal_mode = WAL");
            }
        }
        return conn;
    }

    /** Cheap checks that a file is a database and its end is readable; a small one gets a full quick_check. */
    private void check(Connection c) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA synchronous = " + (config.sync() == StorageConfig.Sync.FULL ? "FULL" : "NORMAL"));
            s.execute("PRAGMA journal_size_limit = " + walLimit());
            s.execute("PRAGMA cache_size = -8192"); // KB: the tails of the table and its indexes stay in memory
            s.execute("PRAGMA wal_autocheckpoint = " + Math.max(16, walLimit() / PAGE_SIZE)); // in pages
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
                r.next();
            }
            if (Schema.version(c) >= 1) {
                try (ResultSet r = s.executeQuery("SELECT max(id) FROM event")) {
                    r.next();
                }
            }
            if (Files.size(config.path()) < 64L * 1024 * 1024) {
                try (ResultSet r = s.executeQuery("PRAGMA quick_check(1)")) {
                    if (r.next() && !r.getString(1).equals("ok")) {
                        throw new SQLiteException("quick_check: " + r.getString(1), SQLiteErrorCode.SQLITE_CORRUPT);
                    }
                }
            }
        }
    }

    private Path moveAside(Path path) throws IOException {
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt-" + ASIDE.format(clock.instant()));
        Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
        for (String suffix : List.of("-wal", "-shm")) {
            Path side = path.resolveSibling(path.getFileName() + suffix);
            if (Files.exists(side)) {
                Files.move(side, aside.resolveSibling(aside.getFileName() + suffix), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return aside;
    }

    // ---- runs ----------------------------------------------------------------------------------------------

    /**
     * Records the start of a run and returns the id of its first event: at least {@code proposed} (the clock), and
     * beyond every id an earlier run published or reserved, so ids keep growing even when the clock went back. A
     * previous run that did not stop cleanly leaves a gap from its last saved id to its reservation.
     */
    public long startRun(long proposed) {
        if (!config.enabled()) {
            return proposed;
        }
        synchronized (writeLock) {
            long first = Math.max(proposed, committedId + 1);
            if (db != null) {
                try (Statement s = db.createStatement();
                     ResultSet r = s.executeQuery("SELECT id, first_id, last_id, clean FROM run ORDER BY id DESC LIMIT 1")) {
                    if (r.next()) {
                        long reserved = r.getLong(3);
                        first = Math.max(first, reserved + 1);
                        // clean: 0 running (or killed), 1 stopped cleanly, 2 running with every event committed
                        // before clients saw it (nothing published can be unsaved)
                        if (r.getInt(4) == 0) {
                            long lostFrom = Math.max(r.getLong(2), committedId + 1);
                            if (lostFrom <= reserved) {
                                unsavedGaps.add(new Gap(lostFrom, reserved, "the gateway stopped without saving them: "
                                        + "killed or a power cut"));
                                gaps.add(unsavedGaps.getLast());
                            }
                        }
                    }
                    reservedTo = first + RESERVE;
                    try (PreparedStatement p = db.prepareStatement(
                            "INSERT INTO run (first_id, started, last_id, clean) VALUES (?, ?, ?, ?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                        Sql.bind(p, first, clock.millis(), reservedTo, config.commitInterval().isZero() ? 2 : 0);
                        runRow = Sql.insertedId(p);
                    }
                    saveGaps();
                } catch (SQLException e) {
                    failed(e);
                }
            }
            appendedId = first - 1;
            return first;
        }
    }

    // ---- writing -------------------------------------------------------------------------------------------

    @Override
    public void append(HubEvent event) {
        if (!config.enabled()) {
            return;
        }
        appendedId = event.id();
        if (event instanceof HubEvent.AlertState) {
            lastAlertId = event.id();
        }
        if (firstAppendedId == 0) {
            firstAppendedId = event.id();
        }
        if (config.commitInterval().isZero()) {
            synchronized (writeLock) {
                pending.add(event);
                writePending();
            }
            return;
        }
        if (!queue.offer(event)) {
            synchronized (unsavedGaps) {
                noteDropped(event.id(), "the disk could not keep up");
            }
        } else if (queue.size() == EARLY_COMMIT) {
            wake.release(); // a burst: commit now rather than let the queue fill before the interval ends
        }
    }

    /** Counts a dropped event and extends or opens a gap for it. Under unsavedGaps or writeLock. */
    private void noteDropped(long id, String why) {
        dropped.increment();
        Gap last = unsavedGaps.isEmpty() ? null : unsavedGaps.getLast();
        if (last != null && last.toId() == id - 1 && last.reason().equals(why)) {
            Gap grown = new Gap(last.fromId(), id, why);
            unsavedGaps.set(unsavedGaps.size() - 1, grown);
            gaps.remove(last);
            gaps.add(grown);
        } else {
            Gap g = new Gap(id, id, why);
            unsavedGaps.add(g);
            gaps.add(g);
        }
        if (state != StoreHealth.State.ERROR) {
            setState(StoreHealth.State.DEGRADED, "events not stored: " + why);
        }
    }

    private void run() {
        long nextMaintenance = System.nanoTime() + MAINTENANCE.toNanos();
        while (!closed) {
            try {
                HubEvent first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    // Pending at once: a stop that interrupts the wait below must still find it.
                    synchronized (writeLock) {
                        pending.add(first);
                    }
                    long deadline = System.nanoTime() + config.commitInterval().toNanos();
                    while (!flushRequested && !closed) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0 || wake.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                            break;
                        }
                    }
                    wake.drainPermits(); // this commit takes every event; a wake meanwhile must not cut the next wait
                }
                flushRequested = false;
                synchronized (writeLock) {
                    drainQueue();
                    if (db == null && System.nanoTime() - nextOpenAttemptNanos >= 0) {
                        openFile();
                    }
                    if (!pending.isEmpty() || !unsavedGaps.isEmpty() || !unsavedCursors.isEmpty()) {
                        writePending();
                    }
                    synchronized (this) {
                        notifyAll();
                    }
                }
                if (System.nanoTime() - nextMaintenance >= 0) {
                    nextMaintenance = System.nanoTime() + MAINTENANCE.toNanos();
                    maintain(true);
                } else if (first != null && overSize()) {
                    maintain(false); // a fast feed: prune by size as it writes, not once a minute
                }
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "store writer: unexpected error; going on", e);
            }
        }
    }

    /** Moves what the hub queued into pending, dropping the oldest beyond the bound. Under writeLock. */
    private void drainQueue() {
        queue.drainTo(pending);
        while (pending.size() > QUEUE) {
            HubEvent lost = pending.removeFirst();
            synchronized (unsavedGaps) {
                noteDropped(lost.id(), "the store could not write (" + reason + ")");
            }
        }
        pendingCount = pending.size();
    }

    /** Writes every pending event in one transaction; on failure they stay pending. Under writeLock. */
    private void writePending() {
        if (db == null) {
            return;
        }
        if (failures > 0 && System.nanoTime() - nextOpenAttemptNanos < 0) {
            return; // backing off after a failed write
        }
        int lastMeter = catalog.maxMeterId();
        int lastPoint = catalog.maxPointId();
        long t0 = System.nanoTime();
        long newest = committedId;
        long values = 0;
        Map<String, Long> movedCursors = Map.of();
        try {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT OR IGNORE INTO event (id, meter, kind, ts, body) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement keyed = db.prepareStatement("INSERT OR IGNORE INTO interval "
                         + "(meter, profile, captured, ordinal, event) VALUES (?, ?, ?, ?, ?)")) {
                for (HubEvent e : pending) {
                    newest = Math.max(newest, e.id());
                    if (e instanceof HubEvent.Interval i && !keyNew(keyed, i)) {
                        duplicateEntries.increment(); // the key is taken: the row is stored already
                        continue;
                    }
                    values += bind(insert, e);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            saveGaps();
            movedCursors = saveCursors();
            if (newest > reservedTo - RESERVE / 10 && runRow != 0) {
                reservedTo = newest + RESERVE;
                try (PreparedStatement p = db.prepareStatement("UPDATE run SET last_id = ? WHERE id = ?")) {
                    Sql.bind(p, reservedTo, runRow);
                    p.executeUpdate();
                }
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            catalog.forgetAfter(lastMeter, lastPoint);
            // What the writer thinks is stored ran ahead of the file: the next row of every meter is written
            // whole. Cheaper than copying every meter's stored values before each commit, which cost more than
            // the writes at 500 meters.
            meters.clear();
            movedCursors.forEach(unsavedCursors::putIfAbsent);
            failed(e);
            return;
        } finally {
            autoCommit();
        }
        commitNanos.add(System.nanoTime() - t0);
        commits.increment();
        written.add(pending.size());
        valuesWritten.add(values);
        if (oldestId == 0 && !pending.isEmpty()) {
            oldestId = pending.peekFirst().id();
        }
        pending.clear();
        pendingCount = 0;
        committedId = newest;
        if (failures > 0 || state == StoreHealth.State.ERROR) {
            failures = 0;
            LOG.info("store " + config.path() + ": writing again");
            setState(StoreHealth.State.OK, null);
        }
        followQueue();
    }

    /**
     * DEGRADED while the disk is behind: entered above half the queue, left below an eighth of it, so a store
     * near its limit shows one warning and one recovery, not one a second. The count is in {@code queued}; dropped
     * events stay counted and named as gaps after the state is OK again.
     */
    private void followQueue() {
        int n = queue.size();
        if (state == StoreHealth.State.OK && n > QUEUE / 2) {
            setState(StoreHealth.State.DEGRADED, BEHIND);
        } else if (state == StoreHealth.State.DEGRADED && n < QUEUE / 8) {
            setState(StoreHealth.State.OK, null);
        }
    }

    /** Claims a Profile Generic row's key; false when a row with that key is stored already. */
    private boolean keyNew(PreparedStatement keyed, HubEvent.Interval i) throws SQLException {
        ProfileEntry entry = i.entry();
        keyed.setInt(1, catalog.meterId(db, i.meterNo()));
        keyed.setString(2, entry.profile());
        keyed.setLong(3, entry.reading().timestamp().toEpochMilli());
        keyed.setInt(4, entry.ordinal());
        keyed.setLong(5, i.id());
        return keyed.executeUpdate() == 1;
    }

    /** Binds one event's row; returns the point values it stores (0 for a status change). */
    private int bind(PreparedStatement insert, HubEvent e) throws SQLException {
        int meter = catalog.meterId(db, e.meterNo());
        insert.setLong(1, e.id());
        insert.setInt(2, meter);
        switch (e) {
            case HubEvent.Data d -> {
                WriterMeter w = meters.computeIfAbsent(e.meterNo(), m -> new WriterMeter());
                boolean full = w.sinceKeyframe >= KEYFRAME_EVERY - 1;
                List<ValueCodec.Entry> entries = new ArrayList<>(d.reading().values().size());
                for (Reading.Entry entry : d.reading().values().values()) {
                    StoredPoint slot = w.slot(entry.point(), catalog, db, e.meterNo());
                    PointValue shown = ValueCodec.shown(entry.point(), entry.value());
                    if (full || !shown.equals(slot.stored)) {
                        entries.add(new ValueCodec.Entry(slot.id, shown, d.changed().contains(entry.point().name())));
                    }
                    slot.stored = shown;
                }
                entries.sort((a, b) -> Integer.compare(a.pointId(), b.pointId()));
                w.sinceKeyframe = full ? 0 : w.sinceKeyframe + 1;
                insert.setInt(3, full ? KEYFRAME : DELTA);
                insert.setLong(4, d.reading().timestamp().toEpochMilli());
                insert.setBytes(5, ValueCodec.encode(entries));
                return entries.size();
            }
            case HubEvent.Status s -> {
                insert.setInt(3, STATUS);
                insert.setLong(4, clock.millis());
                insert.setBytes(5, ValueCodec.encode(s.report()));
                return 0;
            }
            case HubEvent.Interval i -> {
                // Every column, always: a row stands alone, it is not a change of the live reading.
                PointCatalog.MeterPoints ids = catalog.pointIds(e.meterNo());
                List<ValueCodec.Entry> entries = new ArrayList<>(i.entry().reading().values().size());
                for (Reading.Entry entry : i.entry().reading().values().values()) {
                    entries.add(new ValueCodec.Entry(ids.id(db, entry.point()),
                            ValueCodec.shown(entry.point(), entry.value()), false));
                }
                // Ids are delta-coded; a profile's columns get ids in column order, so this keeps that order.
                entries.sort((a, b) -> Integer.compare(a.pointId(), b.pointId()));
                insert.setInt(3, INTERVAL);
                insert.setLong(4, i.entry().reading().timestamp().toEpochMilli());
                insert.setBytes(5, ValueCodec.encode(entries));
                return entries.size();
            }
            case HubEvent.AlertState a -> {
                insert.setInt(3, ALERT);
                insert.setLong(4, a.alert().timestamp().toEpochMilli());
                insert.setBytes(5, a.alert().json().getBytes(StandardCharsets.UTF_8));
                AlertRows.write(db, a.alert()); // the occurrence's row, in the same commit as its event
                return 0;
            }
        }
    }

    /** Writes the cursors moved since the last commit, in the caller's transaction; returns them, for a rollback. */
    private Map<String, Long> saveCursors() throws SQLException {
        if (unsavedCursors.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> moved = new HashMap<>();
        for (String reader : List.copyOf(unsavedCursors.keySet())) {
            Long id = unsavedCursors.remove(reader);
            if (id != null) {
                moved.put(reader, id);
            }
        }
        try (PreparedStatement p = db.prepareStatement(
                "INSERT OR REPLACE INTO cursor (reader, event_id) VALUES (?, ?)")) {
            for (var e : moved.entrySet()) {
                p.setString(1, e.getKey());
                p.setLong(2, e.getValue());
                p.addBatch();
            }
            p.executeBatch();
        }
        return moved;
    }

    @Override
    public long durableUpTo() {
        return config.enabled() ? committedId : Long.MAX_VALUE;
    }

    @Override
    public long nthAfter(long afterId, long upToId, int n) {
        if (!config.enabled() || upToId <= afterId) {
            return upToId;
        }
        try (StoreReader r = reader()) {
            return r.nthAfter(afterId, upToId, n);
        } catch (SQLException e) {
            return upToId;
        }
    }

    @Override
    public long count(long afterId, long upToId) {
        if (!config.enabled() || upToId <= afterId) {
            return 0;
        }
        try (StoreReader r = reader()) {
            return r.count(afterId, upToId);
        } catch (SQLException e) {
            return 0;
        }
    }

    @Override
    public OptionalLong cursor(String reader) {
        Long id = cursors.get(reader);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    @Override
    public void saveCursor(String reader, long id) {
        if (!config.enabled()) {
            return;
        }
        // Acknowledgements arrive on several threads; a cursor never moves back.
        cursors.merge(reader, id, Math::max);
        unsavedCursors.merge(reader, id, Math::max);
    }

    /** Persists gaps noted since the last commit, in the caller's transaction. */
    private void saveGaps() throws SQLException {
        List<Gap> toSave;
        synchronized (unsavedGaps) {
            toSave = List.copyOf(unsavedGaps);
        }
        if (toSave.isEmpty()) {
            return;
        }
        try (PreparedStatement p = db.prepareStatement("INSERT INTO gap (from_id, to_id, reason) VALUES (?, ?, ?)")) {
            for (Gap g : toSave) {
                p.setLong(1, g.fromId());
                p.setLong(2, g.toId());
                p.setString(3, g.reason());
                p.addBatch();
            }
            p.executeBatch();
        }
        synchronized (unsavedGaps) {
            unsavedGaps.removeAll(toSave);
        }
    }

    /** A failed write or open: ERROR with the reason, logged once per change; a corrupt file is replaced. */
    private void failed(Exception e) {
        if (e instanceof SQLException s && corrupt(s)) {
            LOG.warning("store " + config.path() + " became unreadable (" + describe(e) + "); replacing it");
            closeQuietly(db);
            db = null;
            meters.clear();
            try {
                Path aside = moveAside(config.path());
                LOG.warning("store: the corrupt file is kept as " + aside);
            } catch (IOException io) {
                LOG.warning("store: cannot move " + config.path() + " aside: " + io);
            }
            openFile();
            return;
        }
        fail(describe(e) + " (" + config.path() + ")");
    }

    private void fail(String why) {
        failures++;
        long backoff = Math.min(60, 1L << Math.min(failures, 6));
        nextOpenAttemptNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(backoff);
        setState(StoreHealth.State.ERROR, why);
    }

    private void setState(StoreHealth.State s, String why) {
        if (s != state || (why != null && !why.equals(reason))) {
            if (s == StoreHealth.State.OK) {
                LOG.info("store " + config.path() + ": OK");
            } else {
                LOG.warning("store " + config.path() + ": " + s + ": " + why
                        + (s == StoreHealth.State.ERROR ? " (polling and streaming go on; retrying)" : ""));
            }
        }
        state = s;
        reason = why;
    }

    private static boolean corrupt(SQLException e) {
        return e instanceof SQLiteException s && (s.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT
                || s.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB);
    }

    /** A failure in an installer's words; SQLite's own text only where it adds something. */
    static String describe(Exception e) {
        if (e instanceof SQLiteException s) {
            return switch (s.getResultCode()) {
                case SQLITE_FULL -> "the disk is full";
                case SQLITE_READONLY, SQLITE_READONLY_DIRECTORY, SQLITE_READONLY_DBMOVED, SQLITE_READONLY_RECOVERY,
                     SQLITE_READONLY_CANTLOCK, SQLITE_READONLY_ROLLBACK -> "the file or its directory is read-only";
                case SQLITE_CANTOPEN -> "cannot open the file (missing directory, or no permission)";
                case SQLITE_CORRUPT, SQLITE_NOTADB -> "the file is corrupt or not a database";
                case SQLITE_IOERR, SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_IOERR_SHORT_READ, SQLITE_IOERR_READ ->
                        "disk I/O error";
                case SQLITE_BUSY, SQLITE_LOCKED -> "the file is locked by another program";
                default -> "SQLite error " + s.getResultCode().name();
            };
        }
        if (e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.FileSystemException) {
            return "cannot create the directory (" + e.getClass().getSimpleName() + ")";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // the connection may be gone; the next attempt reopens it
        }
    }

    private void autoCommit() {
        try {
            if (db != null) {
                db.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // as above
        }
    }

    // ---- retention -----------------------------------------------------------------------------------------

    /**
     * Prunes by age and by size in small steps (each its own transaction, so the writer never waits long), and
     * gives freed pages back when the file is over its size. The oldest events go first; a pass stops after
     * {@link #PRUNE_STEPS} steps and the next pass goes on.
     */
    private void maintain(boolean byAge) {
        synchronized (writeLock) {
            if (db == null) {
                return;
            }
            try (Statement s = db.createStatement()) {
                long pruned = 0;
                if (byAge) {
                    pruned += pruneByAge(s, clock.millis() - config.retention().toMillis());
                }
                // By size: the oldest, until the pages in use leave room for the write-ahead log.
                for (int step = 0; step < PRUNE_STEPS && used(s) > pruneAbove(); step++) {
                    int n = s.executeUpdate("DELETE FROM event WHERE id IN (SELECT id FROM event ORDER BY id LIMIT "
                            + PRUNE_STEP + ")");
                    pruned += n;
                    if (n == 0) {
                        break;
                    }
                }
                if (pruned > 0) {
                    alignToKeyframes(s);
                    s.execute("DELETE FROM gap WHERE to_id < (SELECT coalesce(min(id), 0) FROM event)");
                    s.execute("DELETE FROM interval WHERE event < (SELECT coalesce(min(id), 0) FROM event)");
                    try (ResultSet r = s.executeQuery("SELECT min(id) FROM event")) {
                        r.next();
                        oldestId = r.getLong(1);
                    }
                }
                if (fileBytes() > config.maxSize()) {
                    s.execute("PRAGMA incremental_vacuum(2000)");
                }
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException e) {
                failed(e);
            }
        }
    }

    /**
     * Prunes what is older than {@code cut}, meter by meter: readings up to the newest full reading before the cut
     * (the readings kept after it are rebuilt from that one, so up to 63 older readings stay), and status changes.
     * Each delete is a bounded step of its own.
     */
    private long pruneByAge(Statement s, long cut) throws SQLException {
        Map<Integer, Long> anchors = new HashMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT meter, max(id) FROM event WHERE kind = " + KEYFRAME
                + " AND ts < ? GROUP BY meter")) {
            p.setLong(1, cut);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    anchors.put(r.getInt(1), r.getLong(2));
                }
            }
        }
        long pruned = 0;
        try (PreparedStatement readings = db.prepareStatement("DELETE FROM event WHERE id IN (SELECT id FROM event "
                + "WHERE id < ? AND meter = ? AND kind IN (" + DELTA + ", " + KEYFRAME + ") ORDER BY id LIMIT "
                + PRUNE_STEP + ")");
             PreparedStatement statuses = db.prepareStatement("DELETE FROM event WHERE meter = ? AND ts < ? "
                     + "AND kind IN (" + STATUS + ", " + INTERVAL + ", " + ALERT + ")");
             PreparedStatement keys = db.prepareStatement("DELETE FROM interval WHERE meter = ? AND captured < ?")) {
            for (int meter : catalog.meterIds()) {
                Long anchor = anchors.get(meter);
                for (int step = 0; anchor != null && step < PRUNE_STEPS; step++) {
                    Sql.bind(readings, anchor, meter);
                    int n = readings.executeUpdate();
                    pruned += n;
                    if (n < PRUNE_STEP) {
                        break;
                    }
                }
                Sql.bind(statuses, meter, cut);
                pruned += statuses.executeUpdate();
                Sql.bind(keys, meter, cut);
                keys.executeUpdate();
            }
        }
        AlertRows.prune(db, cut);
        // Not by age: the trail outlives the readings' retention, but not past its own row bound.
        AuditTrail.prune(db, config.auditMaxRows(), PRUNE_STEP, PRUNE_STEPS);
        return pruned;
    }

    /** A retention pass now, as the writer runs every minute: for tests that move the clock. */
    void pruneNow() {
        maintain(true);
    }

    /** Whether the pages in use are past {@link #pruneAbove()}; three header reads. */
    private boolean overSize() {
        synchronized (writeLock) {
            if (db == null) {
                return false;
            }
            try (Statement s = db.createStatement()) {
                return used(s) > pruneAbove();
            } catch (SQLException e) {
                return false; // the next write reports it
            }
        }
    }

    /**
     * Pages in use above which the oldest are pruned: nine tenths of {@code max-size} less the write-ahead log's
     * allowance, so file and log together stay under {@code max-size} while freed pages are reused.
     */
    private long pruneAbove() {
        return (config.maxSize() - walLimit()) * 9 / 10;
    }

    /** The size the write-ahead log is cut back to after a checkpoint: 4 MB, less for a small store. */
    private long walLimit() {
        return Math.min(4L * 1024 * 1024, config.maxSize() / 8);
    }

    /**
     * After pruning, each meter's kept readings start with one that carries every value: readings before a meter's
     * first full reading are deleted, and a meter whose full readings were all pruned loses the changes after them
     * too (nothing could rebuild them).
     */
    private void alignToKeyframes(Statement s) throws SQLException {
        try (PreparedStatement first = db.prepareStatement("SELECT min(id) FROM event WHERE meter = ? AND kind = "
                + KEYFRAME);
             // "+meter": walk the ids from the oldest (few rows, pruning works there), not all of a meter's rows.
             PreparedStatement before = db.prepareStatement("DELETE FROM event WHERE id < ? AND +meter = ? AND kind IN ("
                     + DELTA + ", " + KEYFRAME + ")");
             PreparedStatement orphans = db.prepareStatement("DELETE FROM event WHERE meter = ? AND kind = " + DELTA)) {
            for (int meter : catalog.meterIds()) {
                first.setInt(1, meter);
                long firstKeyframe;
                try (ResultSet r = first.executeQuery()) {
                    r.next();
                    firstKeyframe = r.getLong(1);
                    if (r.wasNull()) {
                        firstKeyframe = 0;
                    }
                }
                if (firstKeyframe == 0) {
                    orphans.setInt(1, meter);
                    orphans.executeUpdate();
                    String meterNo = catalog.meterNo(meter);
                    if (meterNo != null) {
                        meters.remove(meterNo); // its next reading is written whole again
                    }
                } else {
                    Sql.bind(before, firstKeyframe, meter);
                    before.executeUpdate();
                }
            }
        }
    }

    private static long used(Statement s) throws SQLException {
        long pages;
        long free;
        long size;
        try (ResultSet r = s.executeQuery("PRAGMA page_count")) {
            r.next();
            pages = r.getLong(1);
        }
        try (ResultSet r = s.executeQuery("PRAGMA freelist_count")) {
            r.next();
            free = r.getLong(1);
        }
        try (ResultSet r = s.executeQuery("PRAGMA page_size")) {
            r.next();
            size = r.getLong(1);
        }
        return (pages - free) * size;
    }

    private long fileBytes() {
        long n = 0;
        for (String suffix : List.of("", "-wal")) {
            try {
                n += Files.size(config.path().resolveSibling(config.path().getFileName() + suffix));
            } catch (IOException ignored) {
                // absent
            }
        }
        return n;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    /** Commits what is queued now and waits (at most 5 s) until it is on disk, or the store has failed. */
    public void flush() {
        flush(appendedId);
    }

    /** Waits (up to 5 s) until every event up to {@code target} is committed; no commit is forced if it is. */
    private void flush(long target) {
        if (!config.enabled() || writer == null) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (this) {
            while (committedId < target && state != StoreHealth.State.ERROR && !closed
                    && System.nanoTime() - until < 0) {
                flushRequested = true;
                wake.release();
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public OptionalLong replayableAfter() {
        long oldest = oldestId != 0 ? oldestId : firstAppendedId;
        if (!config.enabled() || state == StoreHealth.State.ERROR && db == null || oldest == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(oldest - 1);
    }

    @Override
    public void replay(long afterId, long upToId, SubscriptionFilter filter, Replay sink) throws IOException {
        flush(Math.min(upToId, appendedId));
        List<Gap> known = gaps(afterId, upToId).stream().sorted((a, b) -> Long.compare(a.fromId(), b.fromId())).toList();
        int[] nextGap = {0};
        try (StoreReader r = reader()) {
            Map<String, MeterFold> folds = new HashMap<>();
            r.rows(afterId, upToId, row -> {
                while (nextGap[0] < known.size() && known.get(nextGap[0]).fromId() < row.id()) {
                    gap(sink, known.get(nextGap[0]++), afterId, upToId);
                }
                String meterNo = catalog.meterNo(row.meter());
                if (meterNo == null || !filter.meters().isEmpty() && !filter.meters().contains(meterNo)) {
                    return;
                }
                HubEvent e;
                if (row.kind() == STATUS) {
                    e = new HubEvent.Status(row.id(), ValueCodec.decodeStatus(meterNo, row.body()));
                } else if (row.kind() == ALERT) {
                    e = new HubEvent.AlertState(row.id(), Alert.parse(new String(row.body(), StandardCharsets.UTF_8)));
                } else if (row.kind() == INTERVAL) {
                    try {
                        e = r.entry(meterNo, row);
                    } catch (SQLException ex) {
                        throw new IOException(describe(ex), ex);
                    }
                    if (e == null) {
                        return; // its key was pruned with it
                    }
                } else {
                    MeterFold f = folds.get(meterNo);
                    if (f == null) {
                        try {
                            f = r.foldBefore(meterNo, row.meter(), row.id());
                        } catch (SQLException ex) {
                            throw new IOException(describe(ex), ex);
                        }
                        folds.put(meterNo, f);
                    }
                    Set<String> changed = f.apply(row.kind(), row.body());
                    e = new HubEvent.Data(row.id(), f.reading(Instant.ofEpochMilli(row.ts())), changed);
                }
                if (filter.matches(e)) {
                    sink.event(e);
                }
            });
        } catch (SQLException e) {
            throw new IOException("reading the store " + config.path() + ": " + describe(e), e);
        }
        while (nextGap[0] < known.size()) {
            gap(sink, known.get(nextGap[0]++), afterId, upToId);
        }
    }

    private static void gap(Replay sink, Gap g, long afterId, long upToId) throws IOException {
        sink.gap(Math.max(g.fromId(), afterId + 1), Math.min(g.toId(), upToId), g.reason());
    }

    /** A reader on its own connection (WAL: it sees what was committed when it started, and never waits for writes). */
    public StoreReader reader() throws SQLException {
        if (!config.enabled()) {
            throw new SQLException("the store is disabled (storage.enabled: false)");
        }
        try {
            return new StoreReader(connect(config.path(), true), catalog);
        } catch (IOException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /**
     * Appends a write attempt to the audit trail, committed before this returns: writes are rare, and an attempt
     * must not be lost to a crash as a reading in the group commit may be.
     *
     * @return the row's id
     * @throws SQLException when the store is disabled or the file cannot take it (the store's state says why)
     */
    public long audit(AuditEntry entry) throws SQLException {
        if (!config.enabled()) {
            throw new SQLException("the store is disabled (storage.enabled: false)");
        }
        synchronized (writeLock) {
            if (db == null) {
                throw new SQLException("the store is not writable: " + reason);
            }
            return AuditTrail.insert(db, entry);
        }
    }

    /** The audit trail from {@code from} (inclusive) to {@code to}, of one meter or all (null), newest first. */
    public List<AuditEntry> audit(Instant from, Instant to, String meterNo, int limit) throws SQLException {
        if (!config.enabled()) {
            throw new SQLException("the store is disabled (storage.enabled: false)");
        }
        try (Connection c = connect(config.path(), true)) {
            return AuditTrail.list(c, from, to, meterNo, limit);
        } catch (IOException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /** Each meter's last stored reading, as the hub last published it; empty for meters never stored. */
    public Map<String, Reading> latestReadings() {
        Map<String, Reading> out = new HashMap<>();
        if (!config.enabled() || db == null) {
            return out;
        }
        try (StoreReader r = reader()) {
            for (String m : catalog.configuredMeters()) {
                r.latest(m).ifPresent(reading -> out.put(m, reading));
            }
        } catch (SQLException e) {
            LOG.warning("store " + config.path() + ": cannot read the last readings: " + describe(e));
        }
        return out;
    }

    /** The event ids the store knows it lost between {@code afterId} and {@code upToId}. */
    List<Gap> gaps(long afterId, long upToId) {
        return gaps.stream().filter(g -> g.toId() > afterId && g.fromId() <= upToId).toList();
    }

    public StoreHealth health() {
        return new StoreHealth(state, reason, config.path().toString(), queue.size() + pendingCount, committedId,
                written.sum(), valuesWritten.sum(), dropped.sum(), config.enabled() ? fileBytes() : 0, commits.sum(), commitNanos.sum() / 1e9,
                oldestId);
    }

    /** The newest stored row of a meter's Profile Generic; empty without a store. */
    public Optional<StoreReader.LastEntry> lastEntry(String meterNo, String profile) throws SQLException {
        if (!config.enabled()) {
            return Optional.empty();
        }
        flush();
        try (StoreReader r = reader()) {
            return r.lastEntry(meterNo, profile);
        }
    }

    /** Profile Generic rows offered again with a key already stored, and so not stored twice, since start. */
    public long duplicateEntries() {
        return duplicateEntries.sum();
    }

    public StorageConfig config() {
        return config;
    }

    // ---- alerts (AlertBook) ----------------------------------------------------------------------------------

    @Override
    public boolean keeps() {
        return config.enabled();
    }

    @Override
    public List<Occurrence> active() {
        return find(new AlertQuery(true, null, null, null, Integer.MAX_VALUE));
    }

    @Override
    public List<Occurrence> find(AlertQuery query) {
        if (!config.enabled()) {
            return List.of();
        }
        // An alert just raised may be in the queue, not yet in its row. Rows change only with alert events, and
        // commits go in id order: once the last of them is committed, every row is as published, and no commit
        // is forced for readings queued since (nor one at all when it is committed already).
        flush(lastAlertId);
        return readAlerts(c -> AlertRows.find(c, query));
    }

    @Override
    public Optional<Occurrence> occurrence(String alertId) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        flush(lastAlertId);
        return readAlerts(c -> AlertRows.one(c, alertId));
    }

    @Override
    public void clearOccurrence(String alertId, Instant at) {
        writeAtOnce(c -> AlertRows.clear(c, alertId, at.toEpochMilli()));
    }

    @Override
    public Map<String, String> rules() {
        if (!config.enabled()) {
            return Map.of();
        }
        return readAlerts(AlertRows::rules);
    }

    @Override
    public void saveRule(String id, String json) {
        writeAtOnce(c -> AlertRows.saveRule(c, id, json, clock.millis()));
    }

    @Override
    public void deleteRule(String id) {
        writeAtOnce(c -> AlertRows.deleteRule(c, id));
    }

    private interface SqlWork<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T readAlerts(SqlWork<T> work) {
        try (Connection c = connect(config.path(), true)) {
            return work.on(c);
        } catch (SQLException | IOException e) {
            throw new AlertBook.Unavailable("cannot read alerts from " + config.path() + ": " + describe(e), e);
        }
    }

    /**
     * A rule change (or an occurrence cleared at start for a meter that is gone) is rare and answered to an admin:
     * written at once, in its own transaction, on the writer's connection.
     */
    private void writeAtOnce(SqlWork<?> work) {
        if (!config.enabled()) {
            return;
        }
        synchronized (writeLock) {
            if (db == null) {
                throw new AlertBook.Unavailable("the store cannot write (" + reason + ")", null);
            }
            try {
                work.on(db);
            } catch (SQLException e) {
                throw new AlertBook.Unavailable("cannot write to " + config.path() + ": " + describe(e), e);
            }
        }
    }

    /**
     * Writes what is queued, records the run as stopped cleanly at {@code lastId} (no lost window), and closes.
     */
    public void close(long lastId) {
        if (!config.enabled()) {
            return;
        }
        closed = true;
        wake.release();
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (writeLock) {
            drainQueue();
            failures = 0;
            nextOpenAttemptNanos = System.nanoTime();
            writePending();
            if (db != null && pending.isEmpty() && runRow != 0) {
                try (PreparedStatement p = db.prepareStatement("UPDATE run SET last_id = ?, clean = 1 WHERE id = ?")) {
                    Sql.bind(p, Math.max(lastId, committedId), runRow);
                    p.executeUpdate();
                } catch (SQLException e) {
                    LOG.warning("store " + config.path() + ": cannot record the clean stop: " + describe(e));
                }
            }
            closeQuietly(db);
            db = null;
        }
    }

    @Override
    public void close() {
        close(appendedId);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

}
