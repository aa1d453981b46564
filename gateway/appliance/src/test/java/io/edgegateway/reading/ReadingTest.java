package io.edgegateway.reading;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    @Test
    void theNamesATestAcceptsAreThoseAHashSetWouldHoldInLayoutOrder() {
        // Three words of bits, with picks on both sides of each word's edge.
        List<Point> points = new ArrayList<>();
        Map<Point, PointValue> values = new HashMap<>();
        for (int i = 0; i < 130; i++) {
            Point p = point("P" + i, 2 * i);
            points.add(p);
            if (i != 5) { // one gap: a point the reading has no value of
                values.put(p, n(Integer.toString(i)));
            }
        }
        Set<Integer> picked = Set.of(0, 5, 62, 63, 64, 65, 99, 127, 128, 129);
        List<String> seen = new ArrayList<>();
        Reading r = Reading.of("m1", AT, new Reading.Layout(points), values);
        Set<String> names = r.namesWhere(e -> {
            seen.add(e.point().name());
            return picked.contains(Integer.parseInt(e.value() instanceof PointValue.Number v
                    ? v.value().toPlainString() : "-1"));
        });

        List<String> expected = List.of("P0", "P62", "P63", "P64", "P65", "P99", "P127", "P128", "P129");
        assertEquals(expected, new ArrayList<>(names), "in layout order; the point without a value is not offered");
        assertEquals(new HashSet<>(expected), names, "equal to the hash set of the same names");
        assertEquals(new HashSet<>(expected).hashCode(), names.hashCode());
        assertEquals(9, names.size());
        assertTrue(names.contains("P64"));
        assertFalse(names.contains("P1"), "a point the test refused");
        assertFalse(names.contains("P5"), "a point without a value");
        assertFalse(names.contains("nobody"));
        assertEquals(129, seen.size(), "each point with a value offered once");
        assertEquals(r.values().keySet().stream().toList(), seen, "in the reading's order");

        Map<Point, PointValue> ordered = new LinkedHashMap<>();
        points.stream().filter(values::containsKey).forEach(p -> ordered.put(p, values.get(p)));
        Set<String> byMap = Reading.of("m1", AT, ordered).namesWhere(e -> expected.contains(e.point().name()));
        assertEquals(byMap, names, "the same names from a reading built from a map");
        assertThrows(UnsupportedOperationException.class, () -> names.add("P1"));
        assertTrue(r.namesWhere(e -> false).isEmpty());
    }

    @Test
    void changesAgainstWhatWasReportedAreTheSameByPositionAsByNameAcrossLayouts() {
        // A deadband of 0.5: small moves are not changes, and what was reported stays the reference.
        Point a = new Point("A", ModbusAddress.of(Table.INPUT, 0, DataType.FLOAT32), Scaling.NONE, 1, "V",
                new BigDecimal("0.5"), Map.of(), "", "");
        Point b = point("B", 2);
        Point c = point("C", 4);
        Reading.Layout first = new Reading.Layout(List.of(a, b));
        Reading.Layout reloaded = new Reading.Layout(List.of(c, a)); // B gone, C new, A moved
        Reading.Reported byPosition = new Reading.Reported();
        Reading.Reported byName = new Reading.Reported();
        List<Reading.Layout> layouts = List.of(first, first, first, reloaded, reloaded, first);
        List<Map<Point, PointValue>> polls = List.of(
                Map.of(a, n("230.0"), b, n("1")),
                Map.of(a, n("230.4"), b, n("1")),   // A within its deadband of the reported 230.0
                Map.of(a, n("230.6"), b, n("2")),
                Map.of(a, n("230.9"), c, n("7")),   // A: reported 230.6 moved over by name; C is new
                Map.of(a, n("231.2"), c, n("7")),
                Map.of(a, n("231.3"), b, n("2")));  // back: B's 2 was kept while it was outside the layout
        List<Set<String>> expected = List.of(Set.of("A", "B"), Set.of(), Set.of("A", "B"), Set.of("C"),
                Set.of("A"), Set.of());
        for (int i = 0; i < polls.size(); i++) {
            Map<Point, PointValue> poll = polls.get(i);
            Map<Point, PointValue> ordered = new LinkedHashMap<>();
            layouts.get(i).points().stream().filter(poll::containsKey).forEach(p -> ordered.put(p, poll.get(p)));
            Set<String> positions = Reading.of("m1", AT, layouts.get(i), poll).changesSince(byPosition);
            Set<String> names = Reading.of("m1", AT, ordered).changesSince(byName);
            assertEquals(expected.get(i), positions, "poll " + i + " over a layout");
            assertEquals(expected.get(i), names, "poll " + i + " built from a map");
        }
        assertEquals(n("231.2"), byPosition.get("A"));
        assertEquals(n("2"), byPosition.get("B"));
        assertEquals(n("7"), byPosition.get("C"), "outside the layout now, still known by name");
        assertNull(byPosition.get("nobody"));
    }
}
