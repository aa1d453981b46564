package io.edgegateway.store;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.reading.ProfileEntry;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads the store on a connection of its own, for replays, the history API and the command line. In WAL mode a
 * reader sees the file as it was when its query began and never waits for the writer. Not thread-safe; close it.
 */
public final class StoreReader implements AutoCloseable {

    /** One stored event as it is in the file. */
    record Row(long id, int meter, int kind, long ts, byte[] body) {
    }

    /** Receives rows, in order; may stop the reading by throwing. */
    @FunctionalInterface
    interface Rows {
        void row(Row r) throws IOException;
    }

    /** Rows per query when a whole range is read: memory stays flat, the query count small. */
    private static final int EXPORT_PAGE = 10_000;

    private final Connection c;
    private final PointCatalog catalog;

    StoreReader(Connection c, PointCatalog catalog) {
        this.c = c;
        this.catalog = catalog;
    }

    /**
     * Reads a store file directly, without a running store: what {@code bin/gateway history} does, with the
     * service running or stopped (WAL lets a reader in beside the writer).
     *
     * @param configured the configured points, for the order of rebuilt readings; may be empty
     */
    public static StoreReader open(Path file, Map<String, List<Point>> configured) throws SQLException {
        if (!Files.isRegularFile(file)) {
            throw new SQLException("no store at " + file + " (storage.path; the gateway creates it when it first runs)");
        }
        PointCatalog catalog = new PointCatalog(configured);
        SQLiteConfig c = new SQLiteConfig();
        c.setReadOnly(true);
        c.setBusyTimeout(5000);
        Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file, c.toProperties());
        try {
            catalog.load(conn);
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return new StoreReader(conn, catalog);
    }

    /** Whether the file has readings of this meter. */
    public boolean knows(String meterNo) {
        return catalog.knownMeterId(meterNo) != null;
    }

    PointCatalog catalog() {
        return catalog;
    }

    /** The newest stored row of a meter's Profile Generic: its capture time and how many rows share that time. */
    public record LastEntry(Instant captured, int rowsAtThatTime) {
    }

    /** Receives stored Profile Generic rows with their event ids. */
    @FunctionalInterface
    public interface Entries {
        void entry(long id, ProfileEntry entry) throws IOException;
    }

    /** The newest row of {@code profile} stored for the meter, if any. */
    public Optional<LastEntry> lastEntry(String meterNo, String profile) throws SQLException {
        Integer meter = catalog.knownMeterId(meterNo);
        if (meter == null) {
            return Optional.empty();
        }
        try (PreparedStatement p = c.prepareStatement("SELECT captured, count(*) FROM interval WHERE meter = ? "
                + "AND profile = ? AND captured = (SELECT max(captured) FROM interval WHERE meter = ? "
                + "AND profile = ?)")) {
            p.setInt(1, meter);
            p.setString(2, profile);
            p.setInt(3, meter);
            p.setString(4, profile);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || r.getInt(2) == 0) {
                    return Optional.empty();
                }
                return Optional.of(new LastEntry(Instant.ofEpochMilli(r.getLong(1)), r.getInt(2)));
            }
        }
    }

    /**
     * The stored rows of {@code profile} captured in [from, to), in capture order, at most {@code limit}, after
     * {@code after} (capture time, then ordinal: the cursor of the previous page).
     *
     * @return the cursor of the next page, empty when this was the last
     */
    public Optional<Cursor> entries(String meterNo, String profile, Instant from, Instant to, Cursor after, int limit,
                                    Entries sink) throws SQLException, IOException {
        Integer meter = catalog.knownMeterId(meterNo);
        if (meter == null) {
            return Optional.empty();
        }
        int n = 0;
        long lastTs = 0;
        long lastOrdinal = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT e.id, e.ts, e.body, i.ordinal FROM interval i "
                + "JOIN event e ON e.id = i.event WHERE i.meter = ? AND i.profile = ? AND i.captured >= ? "
                + "AND i.captured < ? AND (i.captured > ? OR (i.captured = ? AND i.ordinal > ?)) "
                + "ORDER BY i.captured, i.ordinal LIMIT ?")) {
            p.setInt(1, meter);
            p.setString(2, profile);
            p.setLong(3, from.toEpochMilli());
            p.setLong(4, to.toEpochMilli());
            p.setLong(5, after.ts());
            p.setLong(6, after.ts());
            p.setLong(7, after.id());
            p.setInt(8, limit + 1);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (n == limit) {
                        return Optional.of(new Cursor(lastTs, lastOrdinal));
                    }
                    lastTs = r.getLong(2);
                    lastOrdinal = r.getInt(4);
                    sink.entry(r.getLong(1), new ProfileEntry(profile, r.getInt(4),
                            entryReading(meterNo, r.getLong(2), r.getBytes(3))));
                    n++;
                }
            }
        }
        return Optional.empty();
    }

    /** A stored Profile Generic row as its event, or null when its key is gone (pruned). */
    HubEvent.Interval entry(String meterNo, Row row) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT profile, ordinal FROM interval WHERE event = ?")) {
            p.setLong(1, row.id());
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new HubEvent.Interval(row.id(), new ProfileEntry(r.getString(1), r.getInt(2),
                        entryReading(meterNo, row.ts(), row.body())));
            }
        }
    }

    private Reading entryReading(String meterNo, long ts, byte[] body) {
        Map<String, Reading.Entry> values = new java.util.LinkedHashMap<>();
        for (ValueCodec.Entry e : ValueCodec.decode(body)) {
            Point p = catalog.point(e.pointId());
            if (p != null) {
                values.put(p.name(), new Reading.Entry(p, e.value()));
            }
        }
        return new Reading(meterNo, Instant.ofEpochMilli(ts), values);
    }

    /** Every event with an id in ({@code afterId}, {@code upToId}], in id order, streamed. */
    void rows(long afterId, long upToId, Rows sink) throws SQLException, IOException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, meter, kind, ts, body FROM event WHERE id > ? AND id <= ? ORDER BY id")) {
            p.setFetchSize(256);
            Sql.bind(p, afterId, upToId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    sink.row(new Row(r.getLong(1), r.getInt(2), r.getInt(3), r.getLong(4), r.getBytes(5)));
                }
            }
        }
    }

    /**
     * One meter's events with a timestamp in [{@code fromMs}, {@code toMs}), after the cursor ({@code afterTs},
     * {@code afterId}), in time order, at most {@code limit}; {@code kinds} as in the file.
     */
    void meterRows(int meter, long fromMs, long toMs, long afterTs, long afterId, int limit, boolean readings,
                   Rows sink) throws SQLException, IOException {
        String kinds = readings ? EventStore.DELTA + ", " + EventStore.KEYFRAME : String.valueOf(EventStore.STATUS);
        try (PreparedStatement p = c.prepareStatement("SELECT id, meter, kind, ts, body FROM event "
                + "WHERE meter = ? AND ts >= ? AND ts < ? AND kind IN (" + kinds + ") AND (ts > ? OR (ts = ? AND id > ?)) "
                + "ORDER BY ts, id LIMIT ?")) {
            p.setFetchSize(256);
            Sql.bind(p, meter, fromMs, toMs, afterTs, afterTs, afterId, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    sink.row(new Row(r.getLong(1), r.getInt(2), r.getInt(3), r.getLong(4), r.getBytes(5)));
                }
            }
        }
    }

    /** A meter's values just before event {@code beforeId} (the last full reading and the changes after it). */
    MeterFold foldBefore(String meterNo, int meter, long beforeId) throws SQLException {
        MeterFold f = new MeterFold(meterNo, catalog);
        long keyframe;
        long keyTs;
        try (PreparedStatement p = c.prepareStatement("SELECT id, ts FROM event WHERE meter = ? AND kind = "
                + EventStore.KEYFRAME + " AND id < ? ORDER BY id DESC LIMIT 1")) {
            Sql.bind(p, meter, beforeId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return f;
                }
                keyframe = r.getLong(1);
                keyTs = r.getLong(2);
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT kind, body FROM event WHERE meter = ? AND ts >= ? AND id >= ? "
                + "AND id < ? AND kind IN (" + EventStore.DELTA + ", " + EventStore.KEYFRAME + ") ORDER BY id")) {
            Sql.bind(p, meter, keyTs, keyframe, beforeId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    f.apply(r.getInt(1), r.getBytes(2));
                }
            }
        }
        return f;
    }

    /** A meter's values at the start of [{@code fromMs}: the fold of its readings before that time. */
    MeterFold foldAt(String meterNo, int meter, long fromMs) throws SQLException {
        long firstId = Long.MAX_VALUE;
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM event WHERE meter = ? AND ts >= ? AND kind IN ("
                + EventStore.DELTA + ", " + EventStore.KEYFRAME + ") ORDER BY ts, id LIMIT 1")) {
            Sql.bind(p, meter, fromMs);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    firstId = r.getLong(1);
                }
            }
        }
        return foldBefore(meterNo, meter, firstId);
    }

    /** The id of the {@code n}-th stored event after {@code afterId}, or {@code upToId} if fewer lie in between. */
    public long nthAfter(long afterId, long upToId, int n) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id FROM event WHERE id > ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ?")) {
            p.setLong(1, afterId);
            p.setLong(2, upToId);
            p.setInt(3, n - 1);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : upToId;
            }
        }
    }

    /** Events stored with ids in ({@code afterId}, {@code upToId}]: a range of the primary key, so cheap. */
    public long count(long afterId, long upToId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM event WHERE id > ? AND id <= ?")) {
            p.setLong(1, afterId);
            p.setLong(2, upToId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /** The meter's last stored reading. */
    public Optional<Reading> latest(String meterNo) throws SQLException {
        Integer meter = catalog.knownMeterId(meterNo);
        if (meter == null) {
            return Optional.empty();
        }
        long ts;
        try (PreparedStatement p = c.prepareStatement("SELECT max(ts) FROM event WHERE meter = ? AND kind IN ("
                + EventStore.DELTA + ", " + EventStore.KEYFRAME + ")")) {
            p.setInt(1, meter);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                ts = r.getLong(1);
                if (r.wasNull()) {
                    return Optional.empty();
                }
            }
        }
        MeterFold f = foldBefore(meterNo, meter, Long.MAX_VALUE);
        return f.isEmpty() ? Optional.empty() : Optional.of(f.reading(Instant.ofEpochMilli(ts)));
    }

    /** The meter's last stored status transition. */
    public Optional<StatusReport> latestStatus(String meterNo) throws SQLException {
        Integer meter = catalog.knownMeterId(meterNo);
        if (meter == null) {
            return Optional.empty();
        }
        try (PreparedStatement p = c.prepareStatement("SELECT body FROM event WHERE meter = ? AND kind = "
                + EventStore.STATUS + " ORDER BY id DESC LIMIT 1")) {
            p.setInt(1, meter);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(ValueCodec.decodeStatus(meterNo, r.getBytes(1))) : Optional.empty();
            }
        }
    }

    // ---- history -------------------------------------------------------------------------------------------

    /** Where a page of history ended: the next page starts after this event. Opaque to callers. */
    public record Cursor(long ts, long id) {

        public static final Cursor START = new Cursor(Long.MIN_VALUE, Long.MIN_VALUE);

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((ts + ":" + id)
                    .getBytes(StandardCharsets.US_ASCII));
        }

        /** @throws IllegalArgumentException for text that is not a cursor of ours */
        public static Cursor decode(String text) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
                int colon = s.indexOf(':');
                return new Cursor(Long.parseLong(s.substring(0, colon)), Long.parseLong(s.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a cursor of this gateway");
            }
        }
    }

    /** Receives a meter's readings, oldest first. */
    @FunctionalInterface
    public interface Readings {
        void reading(long id, Reading reading) throws IOException;
    }

    /**
     * A meter's stored readings with a timestamp in [{@code fromMs}, {@code toMs}), after {@code after}, oldest
     * first, at most {@code limit}, each rebuilt as the hub published it.
     *
     * @return where the next page starts, or empty when this was the last
     */
    public Optional<Cursor> readings(String meterNo, long fromMs, long toMs, Cursor after, int limit, Readings sink)
            throws SQLException, IOException {
        Integer meter = catalog.knownMeterId(meterNo);
        if (meter == null) {
            return Optional.empty();
        }
        MeterFold[] fold = {null};
        long[] last = {0, 0};
        int[] n = {0};
        meterRows(meter, fromMs, toMs, after.ts(), after.id(), limit + 1, true, row -> {
            if (n[0]++ == limit) {
                return;
            }
            if (fold[0] == null) {
                try {
                    fold[0] = foldBefore(meterNo, meter, row.id());
                } catch (SQLException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
            fold[0].apply(row.kind(), row.body());
            sink.reading(row.id(), fold[0].reading(Instant.ofEpochMilli(row.ts())));
            last[0] = row.ts();
            last[1] = row.id();
        });
        return n[0] > limit ? Optional.of(new Cursor(last[0], last[1])) : Optional.empty();
    }

    /** Receives a meter's status transitions, oldest first. */
    @FunctionalInterface
    public interface Statuses {
        void status(long id, Instant at, StatusReport report) throws IOException;
    }

    /** A meter's status transitions in [{@code fromMs}, {@code toMs}), oldest first, at most {@code limit}. */
    public Optional<Cursor> statuses(String meterNo, long fromMs, long toMs, Cursor after, int limit, Statuses sink)
            throws SQLException, IOException {
        Integer meter = catalog.knownMeterId(meterNo);
        if (meter == null) {
            return Optional.empty();
        }
        long[] last = {0, 0};
        int[] n = {0};
        meterRows(meter, fromMs, toMs, after.ts(), after.id(), limit + 1, false, row -> {
            if (n[0]++ == limit) {
                return;
            }
            sink.status(row.id(), Instant.ofEpochMilli(row.ts()), ValueCodec.decodeStatus(meterNo, row.body()));
            last[0] = row.ts();
            last[1] = row.id();
        });
        return n[0] > limit ? Optional.of(new Cursor(last[0], last[1])) : Optional.empty();
    }

    /** Every reading in [{@code fromMs}, {@code toMs}), oldest first, a page at a time: for unpaged exports. */
    public void allReadings(String meterNo, long fromMs, long toMs, Readings sink) throws SQLException, IOException {
        everyPage(after -> readings(meterNo, fromMs, toMs, after, EXPORT_PAGE, sink));
    }

    /** Every status transition in [{@code fromMs}, {@code toMs}), oldest first, a page at a time. */
    public void allStatuses(String meterNo, long fromMs, long toMs, Statuses sink) throws SQLException, IOException {
        everyPage(after -> statuses(meterNo, fromMs, toMs, after, EXPORT_PAGE, sink));
    }

    private interface Page {
        Optional<Cursor> read(Cursor after) throws SQLException, IOException;
    }

    private static void everyPage(Page page) throws SQLException, IOException {
        for (Optional<Cursor> next = Optional.of(Cursor.START); next.isPresent(); ) {
            next = page.read(next.get());
        }
    }

    /**
     * A meter's numeric points aggregated into buckets of {@code intervalMs} from {@code fromMs} to {@code toMs}:
     * min, max, time-weighted average (each stored value holds until the next, as on-change storage implies), the
     * value at the bucket's end, and how many values were stored in it. {@code until} caps the time a value is
     * held (now), so the last bucket is not averaged over the future.
     */
    public void buckets(String meterNo, long fromMs, long toMs, long intervalMs, long untilMs,
                        Predicate<String> points, Buckets.Sink sink) throws SQLException, IOException {
        Integer meter = catalog.knownMeterId(meterNo);
        Buckets b = new Buckets(fromMs, toMs, intervalMs, Math.min(toMs, untilMs), sink);
        if (meter == null) {
            b.finish();
            return;
        }
        MeterFold fold = foldAt(meterNo, meter, fromMs);
        for (var v : fold.values().entrySet()) {
            var p = catalog.point(v.getKey());
            if (p != null && points.test(p.name()) && v.getValue() instanceof PointValue.Number num) {
                b.carryIn(p.name(), num.value().doubleValue());
            }
        }
        meterRows(meter, fromMs, toMs, Long.MIN_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, true, row -> {
            for (ValueCodec.Entry e : ValueCodec.decode(row.body())) {
                var p = catalog.point(e.pointId());
                if (p != null && points.test(p.name()) && e.value() instanceof PointValue.Number num) {
                    b.value(p.name(), row.ts(), num.value().doubleValue(), row.kind() == EventStore.DELTA || !b.knows(p.name(), num.value().doubleValue()));
                }
            }
        });
        b.finish();
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing
        }
    }
}
