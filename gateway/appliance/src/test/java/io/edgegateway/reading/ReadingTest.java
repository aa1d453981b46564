package io.edgegateway.reading;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadingTest {

    private static final Instant AT = Instant.parse("2026-12-02T07:00:00Z");

    private static Point point(String name, int address) {
        return Point.of(name, ModbusAddress.of(Table.INPUT, address, DataType.FLOAT32), "V");
    }

    private static PointValue n(String v) {
        return new PointValue.Number(new BigDecimal(v));
    }

    @Test
    void aReadingOverALayoutIsTheMapItWouldBeInProfileOrder() {
        List<Point> points = List.of(point("L1", 0), point("L2", 2), point("L3", 4), point("F", 6));
        Map<Point, PointValue> values = new HashMap<>();
        values.put(points.get(3), n("50.0"));
        values.put(points.get(0), n("230.1"));
        values.put(points.get(2), new PointValue.Invalid("NaN"));
        Reading r = Reading.of("m1", AT, new Reading.Layout(points), values);

        Map<Point, PointValue> ordered = new LinkedHashMap<>();
        for (Point p : points) {
            if (values.containsKey(p)) {
                ordered.put(p, values.get(p));
            }
        }
        Reading byMap = Reading.of("m1", AT, ordered);
        assertEquals(byMap, r, "the same record as the map-built one");
        assertEquals(byMap.values().hashCode(), r.values().hashCode());
        assertEquals(List.of("L1", "L3", "F"), new ArrayList<>(r.values().keySet()), "profile order, gaps left out");
        assertEquals(List.of("L1", "L3", "F"), r.values().values().stream().map(e -> e.point().name()).toList());
        assertEquals(List.of("L1", "L3", "F"), r.values().entrySet().stream().map(Map.Entry::getKey).toList());
        assertEquals(3, r.values().size());
        assertEquals(n("50.0"), r.values().get("F").value());
        assertNull(r.values().get("L2"), "a point without a value is not there");
        assertFalse(r.values().containsKey("L2"));
        assertFalse(r.values().keySet().contains("L2"));
        assertTrue(r.values().keySet().contains("L3"));
        assertNull(r.values().get("nobody"));
    }

    @Test
    void mergingTakesTheNewerValuesAndKeepsWhatOnlyTheOlderHas() {
        List<Point> points = List.of(point("A", 0), point("B", 2), point("C", 4));
        Reading.Layout layout = new Reading.Layout(points);
        Reading full = Reading.of("m1", AT, layout, Map.of(points.get(0), n("1"), points.get(1), n("2"),
                points.get(2), n("3")));
        Reading newer = Reading.of("m1", AT.plusSeconds(1), layout, Map.of(points.get(0), n("10"), points.get(1),
                n("20"), points.get(2), n("30")));
        assertSame(newer, full.mergedWith(newer), "a complete newer reading of the same layout is taken whole");

        Reading partial = Reading.of("m1", AT.plusSeconds(2), layout, Map.of(points.get(1), n("200")));
        Reading merged = newer.mergedWith(partial);
        assertEquals(AT.plusSeconds(2), merged.timestamp());
        assertEquals(n("10"), merged.values().get("A").value(), "kept from the older reading");
        assertEquals(n("200"), merged.values().get("B").value(), "taken from the newer");
        assertEquals(3, merged.values().size());
    }

    @Test
    void aNameGivenTwiceKeepsItsFirstPlaceAndItsLastValueAsAMapWould() {
        List<Point> points = List.of(point("A", 0), point("B", 2), point("A", 4));
        Map<Point, PointValue> values = Map.of(points.get(0), n("1"), points.get(1), n("2"), points.get(2), n("3"));
        Reading r = Reading.of("m1", AT, new Reading.Layout(points), values);
        Map<Point, PointValue> ordered = new LinkedHashMap<>();
        points.forEach(p -> ordered.put(p, values.get(p)));
        assertEquals(Reading.of("m1", AT, ordered), r);
        assertEquals(List.of("A", "B"), new ArrayList<>(r.values().keySet()));
        assertEquals(n("3"), r.values().get("A").value());
    }
}
