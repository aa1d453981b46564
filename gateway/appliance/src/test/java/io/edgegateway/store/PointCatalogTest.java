package io.edgegateway.store;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The catalog on real SQLite files: the ids it hands out are rows of the file it was loaded from. */
class PointCatalogTest {

    private static final Point VOLTS = Point.of("L1 Voltage", ModbusAddress.of(Table.INPUT, 0, DataType.FLOAT32), "V");

    @TempDir
    Path dir;

    @Test
    void aFileLoadedInPlaceOfAnotherGetsIdsOfItsOwnRows() throws Exception {
        // As when a corrupt file is replaced by an empty one while the gateway runs.
        PointCatalog catalog = new PointCatalog(Map.of("m1", List.of(VOLTS)));
        try (Connection old = file("old.db"); Connection fresh = file("fresh.db")) {
            catalog.load(old);
            catalog.meterId(old, "m0");
            assertEquals(2, catalog.meterId(old, "m1"));
            assertEquals(1, catalog.pointIds("m1").id(old, VOLTS));

            catalog.load(fresh);
            int meter = catalog.meterId(fresh, "m1");
            int point = catalog.pointIds("m1").id(fresh, VOLTS);
            assertEquals(1, meter, "the new file's first meter row, not the old file's id");
            assertEquals(List.of(meter), column(fresh, "SELECT id FROM meter WHERE meter_no = 'm1'"));
            assertEquals(List.of(meter), column(fresh, "SELECT meter FROM point WHERE id = " + point));
        }
    }

    private Connection file(String name) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name));
        Schema.migrate(c, Schema.VERSION);
        return c;
    }

    private static List<Integer> column(Connection c, String sql) throws Exception {
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet r = p.executeQuery()) {
            List<Integer> out = new java.util.ArrayList<>();
            while (r.next()) {
                out.add(r.getInt(1));
            }
            return out;
        }
    }
}
