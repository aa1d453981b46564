package io.edgegateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The two JDBC steps the store's writer, catalog and reader all take. */
final class Sql {

    private Sql() {
    }

    /** Binds the statement's parameters in order; every one is an integer (ids, times, counts, kinds). */
    static void bind(PreparedStatement p, long... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            p.setLong(i + 1, values[i]);
        }
    }

    /** Runs an INSERT made with {@code RETURN_GENERATED_KEYS}; the row id it made. */
    static long insertedId(PreparedStatement insert) throws SQLException {
        insert.executeUpdate();
        try (ResultSet k = insert.getGeneratedKeys()) {
            k.next();
            return k.getLong(1);
        }
    }
}
