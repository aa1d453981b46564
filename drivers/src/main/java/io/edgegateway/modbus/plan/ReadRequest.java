package io.edgegateway.modbus.plan;

import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.Table;

import java.util.List;
import java.util.Locale;

/** One Modbus read (function 1-4) and the points it carries, each wholly inside it. */
public record ReadRequest(Table table, int start, int count, List<Point> points) {

    public ReadRequest {
        points = List.copyOf(points);
        if (count < 1 || count > table.maxPerRead()) {
            throw new IllegalArgumentException("count " + count + " outside 1.." + table.maxPerRead());
        }
        for (Point p : points) {
            ModbusAddress a = (ModbusAddress) p.address();
            if (a.table() != table || a.address() < start || a.end() > start + count - 1) {
                throw new IllegalArgumentException(p.name() + " (" + a.describe() + ") is not inside " + this.describe());
            }
        }
    }

    public int end() {
        return start + count - 1;
    }

    public String describe() {
        return String.format(Locale.ROOT, "FC%02d %s 0x%04X..0x%04X (%d %s)", table.readFunction(), table.configName(),
                start, end(), count, table.isBits() ? "bits" : "registers");
    }
}
