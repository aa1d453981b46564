package io.edgegateway.store;

import io.edgegateway.alert.AlertQuery;
import io.edgegateway.alert.Occurrence;
import io.edgegateway.reading.Alert;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code alert} and {@code alert_rule} tables (docs/storage.md): one row per occurrence, written in the commit
 * of each of its events, and the rules made at run time.
 */
final class AlertRows {

    private static final String COLUMNS = "alert_id, rule, meter, point, severity, state, value, raised, cleared, "
            + "acknowledged, acknowledged_by";

    private AlertRows() {
    }

    /** The occurrence's row after this state: a raise inserts it, an acknowledgement or a clear updates it. */
    static void write(Connection db, Alert a) throws SQLException {
        String sql = switch (a.state()) {
            case RAISED -> "INSERT OR IGNORE INTO alert (alert_id, rule, meter, point, severity, state, value, raised) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
            case ACKNOWLEDGED -> "UPDATE alert SET state = ?, acknowledged = ?, acknowledged_by = ? WHERE alert_id = ?";
            // an alert cleared before it was acknowledged stays cleared: state is where it ended
            case CLEARED -> "UPDATE alert SET state = ?, cleared = ? WHERE alert_id = ?";
        };
        try (PreparedStatement p = db.prepareStatement(sql)) {
            long t = a.timestamp().toEpochMilli();
            String state = a.state().configName();
            switch (a.state()) {
                case RAISED -> bind(p, a.alertId(), a.ruleId(), a.meterNo(), a.point(), a.severity().configName(),
                        state, a.value().toString(), t);
                case ACKNOWLEDGED -> bind(p, state, t, a.by(), a.alertId());
                case CLEARED -> bind(p, state, t, a.alertId());
            }
            p.executeUpdate();
        }
    }

    /** Clears an open occurrence with no event of its own (its meter is gone: the hub cannot publish for it). */
    static Void clear(Connection db, String alertId, long at) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "UPDATE alert SET state = 'cleared', cleared = ? WHERE alert_id = ? AND cleared IS NULL")) {
            bind(p, at, alertId);
            p.executeUpdate();
        }
        return null;
    }

    /** Binds text and numbers in order (null as SQL NULL). */
    private static void bind(PreparedStatement p, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            p.setObject(i + 1, values[i]);
        }
    }

    /** Forgets cleared occurrences that cleared before {@code cut} (ms); open ones are kept however old. */
    static void prune(Connection db, long cut) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM alert WHERE cleared IS NOT NULL AND cleared < ?")) {
            p.setLong(1, cut);
            p.executeUpdate();
        }
    }

    static List<Occurrence> find(Connection c, AlertQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.activeOnly()) {
            sql.append(" AND cleared IS NULL");
        }
        if (q.from() != null) {
            sql.append(" AND raised >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND raised < ?");
            args.add(q.to().toEpochMilli());
        }
        if (q.meterNo() != null) {
            sql.append(" AND meter = ?");
            args.add(q.meterNo());
        }
        sql.append(" ORDER BY raised DESC, alert_id LIMIT ?");
        args.add(q.limit());
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            bind(p, args.toArray());
            return rows(p);
        }
    }

    static Optional<Occurrence> one(Connection c, String alertId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM alert WHERE alert_id = ?")) {
            p.setString(1, alertId);
            return rows(p).stream().findFirst();
        }
    }

    private static List<Occurrence> rows(PreparedStatement p) throws SQLException {
        List<Occurrence> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new Occurrence(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        json(r.getString(7)), Alert.Severity.valueOf(r.getString(5).toUpperCase(Locale.ROOT)),
                        Alert.State.valueOf(r.getString(6).toUpperCase(Locale.ROOT)), instant(r, 8), instant(r, 10),
                        r.getString(11), instant(r, 9)));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        long ms = r.getLong(column);
        return r.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    private static JsonValue json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readValue();
        }
    }

    static Map<String, String> rules(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, body FROM alert_rule ORDER BY id");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    static Void saveRule(Connection db, String id, String json, long now) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT OR REPLACE INTO alert_rule (id, body, updated) VALUES (?, ?, ?)")) {
            bind(p, id, json, now);
            p.executeUpdate();
        }
        return null;
    }

    static Void deleteRule(Connection db, String id) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM alert_rule WHERE id = ?")) {
            p.setString(1, id);
            p.executeUpdate();
        }
        return null;
    }
}
