package io.edgegateway.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables, versioned by SQLite's {@code user_version} and migrated forward at open. A migration is
 * never edited once released: a new version adds a step. docs/storage.md describes the tables for anyone reading
 * the file with the {@code sqlite3} tool.
 */
final class Schema {

    /** One step: the SQL that takes the file from version {@code index} to {@code index + 1}. */
    static final List<List<String>> MIGRATIONS = List.of(
            // 1: meters, the points as readings show them, and every published event.
            List.of("CREATE TABLE meter (id INTEGER PRIMARY KEY, meter_no TEXT NOT NULL UNIQUE)",
                    "CREATE TABLE point (id INTEGER PRIMARY KEY, meter INTEGER NOT NULL REFERENCES meter(id), "
                            + "name TEXT NOT NULL, unit TEXT NOT NULL, decimals INTEGER NOT NULL, labels TEXT NOT NULL, "
                            + "UNIQUE (meter, name, unit, decimals, labels))",
                    // id is the gateway's event id; kind: 1 reading (changed values), 2 reading (every value),
                    // 3 status. body: the values packed by ValueCodec.
                    "CREATE TABLE event (id INTEGER PRIMARY KEY, meter INTEGER NOT NULL, kind INTEGER NOT NULL, "
                            + "ts INTEGER NOT NULL, body BLOB NOT NULL)",
                    "CREATE INDEX event_meter_ts ON event (meter, ts)",
                    // where each meter's readings that carry every value are: a reading is rebuilt from the last one
                    "CREATE INDEX event_keyframe ON event (meter, id) WHERE kind = 2"),
            // 2: the gateway's runs (to know what a crash lost) and recorded gaps.
            List.of("CREATE TABLE run (id INTEGER PRIMARY KEY, first_id INTEGER NOT NULL, started INTEGER NOT NULL, "
                            + "last_id INTEGER, clean INTEGER NOT NULL DEFAULT 0)",
                    "CREATE TABLE gap (from_id INTEGER NOT NULL, to_id INTEGER NOT NULL, reason TEXT NOT NULL)"),
            // 3: how far readers of the log got (the MQTT uplink's last acknowledged event).
            List.of("CREATE TABLE cursor (reader TEXT PRIMARY KEY, event_id INTEGER NOT NULL)"),
            // 4: rows of meters' Profile Generic buffers (kind 4 events), keyed so a row is never stored twice:
            // meter, profile OBIS, capture time (ms, UTC), and which of the rows captured at that time it is.
            List.of("CREATE TABLE interval (meter INTEGER NOT NULL, profile TEXT NOT NULL, captured INTEGER NOT NULL, "
                    + "ordinal INTEGER NOT NULL, event INTEGER NOT NULL UNIQUE, "
                    + "PRIMARY KEY (meter, profile, captured, ordinal)) WITHOUT ROWID"),
            // 5: alerts (each occurrence's current state; every state change is also a kind 5 event), alert rules
            // made at run time (body: the rule's JSON as PUT), and the audit trail of writes to devices.
            List.of("CREATE TABLE alert (alert_id TEXT PRIMARY KEY, rule TEXT NOT NULL, meter TEXT NOT NULL, "
                            + "point TEXT, severity TEXT NOT NULL, state TEXT NOT NULL, value TEXT NOT NULL, "
                            + "raised INTEGER NOT NULL, cleared INTEGER, acknowledged INTEGER, acknowledged_by TEXT)",
                    "CREATE INDEX alert_raised ON alert (raised)",
                    "CREATE TABLE alert_rule (id TEXT PRIMARY KEY, body TEXT NOT NULL, updated INTEGER NOT NULL)",
                    // result: ok, or the refusal's code (not-writable, out-of-range, device-exception...)
                    "CREATE TABLE audit (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, token TEXT, meter TEXT NOT NULL, "
                            + "point TEXT NOT NULL, old_value TEXT, new_value TEXT, result TEXT NOT NULL, "
                            + "detail TEXT)",
                    "CREATE INDEX audit_ts ON audit (ts)"));

    static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }

    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /**
     * Brings the file to {@code target}, one step per transaction.
     *
     * @throws SQLException for a file written by a newer gateway (a version above {@link #VERSION})
     */
    static void migrate(Connection c, int target) throws SQLException {
        int v = version(c);
        if (v > VERSION) {
            throw new SQLException("the file has schema version " + v + ", this gateway knows up to " + VERSION
                    + " (written by a newer gateway?)");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (; v < target; v++) {
                for (String sql : MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
                s.execute("PRAGMA user_version = " + (v + 1));
                c.commit();
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
