package io.edgegateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SQL of the {@code audit} table: one row per write attempt, written and listed by {@link EventStore}. */
final class AuditTrail {

    private AuditTrail() {
    }

    /** Inserts {@code e} (its id is ignored) and returns the row's id. */
    static long insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO audit (ts, token, meter, point, old_value, "
                + "new_value, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setLong(1, e.at().toEpochMilli());
            p.setString(2, e.token());
            p.setString(3, e.meterNo());
            p.setString(4, e.point());
            p.setString(5, e.oldValue());
            p.setString(6, e.newValue());
            p.setString(7, e.result());
            p.setString(8, e.detail());
            return Sql.insertedId(p);
        }
    }

    /**
     * Deletes the oldest rows beyond the newest {@code keep}, at most {@code steps} deletes of {@code step} rows
     * each; how many went. Ids only grow (the newest row is never deleted), so the rows above max(id) - keep are
     * at most {@code keep}.
     */
    static long prune(Connection c, long keep, int step, int steps) throws SQLException {
        long cut;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT max(id) FROM audit")) {
            cut = r.next() ? r.getLong(1) - keep : 0;
        }
        long pruned = 0;
        try (PreparedStatement p = c.prepareStatement("DELETE FROM audit WHERE id IN (SELECT id FROM audit "
                + "WHERE id <= ? ORDER BY id LIMIT " + step + ")")) {
            for (int i = 0; cut > 0 && i < steps; i++) {
                p.setLong(1, cut);
                int n = p.executeUpdate();
                pruned += n;
                if (n < step) {
                    break;
                }
            }
        }
        return pruned;
    }

    /** Rows with {@code from <= ts < to}, of one meter unless {@code meterNo} is null, newest first. */
    static List<AuditEntry> list(Connection c, Instant from, Instant to, String meterNo, int limit)
            throws SQLException {
        String sql = "SELECT id, ts, token, meter, point, old_value, new_value, result, detail FROM audit "
                + "WHERE ts >= ? AND ts < ?" + (meterNo == null ? "" : " AND meter = ?")
                + " ORDER BY ts DESC, id DESC LIMIT ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int i = 1;
            p.setLong(i++, from.toEpochMilli());
            p.setLong(i++, to.toEpochMilli());
            if (meterNo != null) {
                p.setString(i++, meterNo);
            }
            p.setInt(i, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new AuditEntry(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), r.getString(3),
                            r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8),
                            r.getString(9)));
                }
            }
            return out;
        }
    }
}
