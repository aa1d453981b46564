package io.edgegateway.store;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

/**
 * The meters and the points as readings show them (name, unit, decimals, labels), with their ids in the file. A
 * point whose rendering changes (another unit or number of decimals after a profile edit) gets a new id, so what
 * was stored before is still shown as it was sent. The writer adds to it; readers look up concurrently.
 *
 * <p>Stored points are rebuilt as the configured {@link Point} when the rendering is the same, and otherwise as a
 * point that carries the rendering only: its address is a placeholder, since the store keeps what readings show,
 * not where the values came from.
 */
final class PointCatalog {

    /** The rendering of a point, its identity in the file. */
    record Rendering(String meterNo, String name, String unit, int decimals, String labels) {

        static Rendering of(String meterNo, Point p) {
            return new Rendering(meterNo, p.name(), p.unit(), p.decimals(), labels(p.labels()));
        }

        static String labels(Map<Long, String> labels) {
            return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().replace(";", ","))
                    .collect(Collectors.joining(";"));
        }
    }

    private static final ModbusAddress NOT_KEPT = ModbusAddress.of(Table.HOLDING, 0, DataType.UINT16);

    private final Map<String, Integer> meterIds = new ConcurrentHashMap<>();
    // Sorted by id: the writer asks for the highest before every commit, and a scan of 26,000 points cost 5 % of
    // the CPU of a gateway polling 500 meters.
    private final ConcurrentSkipListMap<Integer, String> meterNos = new ConcurrentSkipListMap<>();
    private final Map<Rendering, Integer> ids = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Integer, Point> points = new ConcurrentSkipListMap<>();
    private final Map<Integer, Integer> pointMeter = new ConcurrentHashMap<>();
    /** The writer's shortcut: ids of the very Point instances it has seen, by meter (writer thread only). */
    private final Map<String, IdentityHashMap<Point, Integer>> seen = new HashMap<>();
    /** Configured points by meter and name. */
    private final Map<String, Map<String, Point>> configured;

    PointCatalog(Map<String, List<Point>> configured) {
        this.configured = new LinkedHashMap<>();
        configured.forEach((m, ps) -> {
            Map<String, Point> byName = new LinkedHashMap<>();
            ps.forEach(p -> byName.put(p.name(), p));
            this.configured.put(m, byName);
        });
    }

    /**
     * Reads what the file holds, in place of what the catalog knew: after a corrupt file was replaced by an empty
     * one, ids of the old file would point at rows the new one lacks, and clash with the ones it hands out.
     */
    void load(Connection c) throws SQLException {
        meterIds.clear();
        meterNos.clear();
        ids.clear();
        points.clear();
        pointMeter.clear();
        seen.clear();
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT id, meter_no FROM meter")) {
                while (r.next()) {
                    meterIds.put(r.getString(2), r.getInt(1));
                    meterNos.put(r.getInt(1), r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT id, meter, name, unit, decimals, labels FROM point")) {
                while (r.next()) {
                    String meterNo = meterNos.get(r.getInt(2));
                    Rendering k = new Rendering(meterNo, r.getString(3), r.getString(4), r.getInt(5), r.getString(6));
                    ids.put(k, r.getInt(1));
                    pointMeter.put(r.getInt(1), r.getInt(2));
                    points.put(r.getInt(1), rebuild(k));
                }
            }
        }
    }

    /** The meter's id, added to the file (in the caller's transaction) when new. */
    int meterId(Connection c, String meterNo) throws SQLException {
        Integer id = meterIds.get(meterNo);
        if (id != null) {
            return id;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO meter (meter_no) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, meterNo);
            id = Math.toIntExact(Sql.insertedId(p));
        }
        meterIds.put(meterNo, id);
        meterNos.put(id, meterNo);
        return id;
    }

    /** A meter's point ids for the writer: one lookup per reading, not per value. */
    MeterPoints pointIds(String meterNo) {
        return new MeterPoints(meterNo, seen.computeIfAbsent(meterNo, m -> new IdentityHashMap<>()));
    }

    /** The ids of one meter's points, by Point instance, falling back to the rendering. */
    final class MeterPoints {
        private final String meterNo;
        private final IdentityHashMap<Point, Integer> ids;

        private MeterPoints(String meterNo, IdentityHashMap<Point, Integer> ids) {
            this.meterNo = meterNo;
            this.ids = ids;
        }

        int id(Connection c, Point p) throws SQLException {
            Integer known = ids.get(p);
            if (known != null) {
                return known;
            }
            int id = pointIdByRendering(c, meterNo, p);
            ids.put(p, id);
            return id;
        }
    }

    private int pointIdByRendering(Connection c, String meterNo, Point p) throws SQLException {
        Rendering k = Rendering.of(meterNo, p);
        Integer id = ids.get(k);
        if (id != null) {
            return id;
        }
        int meter = meterId(c, meterNo);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO point (meter, name, unit, decimals, labels) "
                + "VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            s.setInt(1, meter);
            s.setString(2, k.name());
            s.setString(3, k.unit());
            s.setInt(4, k.decimals());
            s.setString(5, k.labels());
            id = Math.toIntExact(Sql.insertedId(s));
        }
        ids.put(k, id);
        pointMeter.put(id, meter);
        points.put(id, p);
        return id;
    }

    /** Forgets ids added in a transaction that was rolled back. */
    void forgetAfter(int lastMeterId, int lastPointId) {
        meterIds.values().removeIf(v -> v > lastMeterId);
        meterNos.keySet().removeIf(k -> k > lastMeterId);
        ids.values().removeIf(v -> v > lastPointId);
        points.keySet().removeIf(k -> k > lastPointId);
        pointMeter.keySet().removeIf(k -> k > lastPointId);
        seen.values().forEach(m -> m.values().removeIf(v -> v > lastPointId));
    }

    /** Every meter the file holds. */
    List<Integer> meterIds() {
        return List.copyOf(meterNos.keySet());
    }

    int maxMeterId() {
        return meterNos.isEmpty() ? 0 : meterNos.lastKey();
    }

    int maxPointId() {
        return points.isEmpty() ? 0 : points.lastKey();
    }

    Integer knownMeterId(String meterNo) {
        return meterIds.get(meterNo);
    }

    String meterNo(int meterId) {
        return meterNos.get(meterId);
    }

    Point point(int pointId) {
        return points.get(pointId);
    }

    /** The configured meters. */
    java.util.Set<String> configuredMeters() {
        return configured.keySet();
    }

    /** Names of the configured points of a meter, in profile order: the order rebuilt readings list them in. */
    List<String> configuredOrder(String meterNo) {
        Map<String, Point> m = configured.get(meterNo);
        return m == null ? List.of() : List.copyOf(m.keySet());
    }

    private Point rebuild(Rendering k) {
        Point live = configured.getOrDefault(k.meterNo(), Map.of()).get(k.name());
        if (live != null && Rendering.of(k.meterNo(), live).equals(k)) {
            return live;
        }
        Map<Long, String> labels = new LinkedHashMap<>();
        if (!k.labels().isEmpty()) {
            for (String pair : k.labels().split(";")) {
                int eq = pair.indexOf('=');
                labels.put(Long.parseLong(pair.substring(0, eq)), pair.substring(eq + 1));
            }
        }
        return new Point(k.name(), NOT_KEPT, Scaling.NONE, k.decimals(), k.unit(), BigDecimal.ZERO, labels, "", "");
    }
}
