package io.edgegateway.poll;

import io.edgegateway.device.MeterReader;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;
import io.edgegateway.reading.Reading;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A device's reading from its groups' fresh values: each point's latest value, in profile order. */
class PolledDeviceTest {

    private static final Instant AT = Instant.parse("2026-12-04T08:00:00Z");

    /** Never asked to read: these tests hand the device its fresh values. */
    private static final MeterReader UNUSED = new MeterReader() {
        @Override
        public Map<Point, PointValue> read(List<Point> points) {
            throw new AssertionError("not polled here");
        }

        @Override
        public void close() {
        }
    };

    private static Point point(String name, int address) {
        return Point.of(name, ModbusAddress.of(Table.INPUT, address, DataType.FLOAT32), "V");
    }

    private static PointValue n(int v) {
        return new PointValue.Number(BigDecimal.valueOf(v));
    }

    @SafeVarargs
    private static Map<Point, PointValue> fresh(Map.Entry<Point, PointValue>... values) {
        Map<Point, PointValue> m = new LinkedHashMap<>();
        for (Map.Entry<Point, PointValue> e : values) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    /** What the device's reading must be: every value seen so far, merged in a map, over the profile's order. */
    private static Reading merged(Map<Point, PointValue> seen, Map<Point, PointValue> fresh, List<Point> points) {
        seen.putAll(fresh);
        return Reading.of("m", AT, new Reading.Layout(points), seen);
    }

    @Test
    void groupsPolledInTurnGiveEveryLatestValueInProfileOrder() {
        Point p0 = point("P0", 0);
        Point p1 = point("P1", 2);
        Point p2 = point("P2", 4);
        Point p3 = point("P3", 6);
        Point p4 = point("P4", 8);
        Point p3Again = point("P3", 6); // equal, another instance: a reloaded profile's
        List<Point> points = List.of(p0, p1, p2, p3, p4);
        PolledDevice d = new PolledDevice("m", UNUSED, points, List.of(
                new PollGroup("fast", Duration.ofSeconds(1), List.of(p0, p2, p4)),
                new PollGroup("slow", Duration.ofSeconds(10), List.of(p1, p3))));
        Map<Point, PointValue> seen = new HashMap<>();
        List<Map<Point, PointValue>> polls = List.of(
                fresh(Map.entry(p0, n(1)), Map.entry(p2, n(2)), Map.entry(p4, n(4))),
                fresh(Map.entry(p1, n(10)), Map.entry(p3, n(30))),
                // Out of order, an equal instance, and a point the profile does not have (left out).
                fresh(Map.entry(p4, n(40)), Map.entry(p3Again, n(31)), Map.entry(point("X", 20), n(99)),
                        Map.entry(p0, n(5))));
        List<List<String>> keys = List.of(List.of("P0", "P2", "P4"), List.of("P0", "P1", "P2", "P3", "P4"),
                List.of("P0", "P1", "P2", "P3", "P4"));
        for (int i = 0; i < polls.size(); i++) {
            Reading r = d.reading(AT, polls.get(i));
            assertEquals(merged(seen, polls.get(i), points).values(), r.values(), "poll " + i);
            assertEquals(keys.get(i), List.copyOf(r.values().keySet()), "poll " + i + ": profile order");
        }
        assertEquals(n(31), d.reading(AT, Map.of()).values().get("P3").value());
    }

    @Test
    void aProfileThatGivesANameTwiceStillMergesByPoint() {
        Point a = point("A", 0);
        Point aElsewhere = point("A", 10);
        Point b = point("B", 2);
        List<Point> points = List.of(a, b, aElsewhere);
        PolledDevice d = new PolledDevice("m", UNUSED, points,
                List.of(new PollGroup("", Duration.ofSeconds(1), points)));
        Map<Point, PointValue> seen = new HashMap<>();
        Map<Point, PointValue> first = fresh(Map.entry(a, n(1)), Map.entry(b, n(2)), Map.entry(aElsewhere, n(3)));
        assertEquals(merged(seen, first, points).values(), d.reading(AT, first).values());
        Map<Point, PointValue> second = fresh(Map.entry(b, n(20)));
        assertEquals(merged(seen, second, points).values(), d.reading(AT, second).values());
    }
}
