package io.edgegateway.reading;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of a meter at one poll, keyed by point name in profile order. Invalid values are kept here
 * (they matter for status and on-change) and left out of the JSON.
 *
 * @param meterNo   the meter
 * @param timestamp when the poll that produced the values completed
 * @param values    point name to point and value
 */
public record Reading(String meterNo, Instant timestamp, Map<String, Entry> values) {

    public record Entry(Point point, PointValue value) {

        /** The value as the reading shows it, null if invalid. */
        public String display() {
            return point.display(value);
        }
    }

    public Reading {
        values = values instanceof Owned ? values : new Owned(new LinkedHashMap<>(values));
    }

    public static Reading of(String meterNo, Instant timestamp, Map<Point, PointValue> values) {
        Map<String, Entry> m = LinkedHashMap.newLinkedHashMap(values.size());
        values.forEach((p, v) -> m.put(p.name(), new Entry(p, v)));
        return new Reading(meterNo, timestamp, new Owned(m));
    }

    /**
     * The values of {@code points} that {@code values} holds, in the order of {@code points}: a device's reading
     * from its latest values, built without a map in between (this runs for every poll).
     */
    public static Reading of(String meterNo, Instant timestamp, List<Point> points, Map<Point, PointValue> values) {
        Map<String, Entry> m = LinkedHashMap.newLinkedHashMap(points.size());
        for (Point p : points) {
            PointValue v = values.get(p);
            if (v != null) {
                m.put(p.name(), new Entry(p, v));
            }
        }
        return new Reading(meterNo, timestamp, new Owned(m));
    }

    /**
     * The values of a reading, read-only, over a map nothing else holds: a reading made from another's values or
     * built here is not copied again (each poll made four copies of every value map before).
     */
    private static final class Owned extends AbstractMap<String, Reading.Entry> {
        private final Map<String, Reading.Entry> view;

        Owned(Map<String, Reading.Entry> unshared) {
            this.view = Collections.unmodifiableMap(unshared);
        }

        @Override
        public Set<Map.Entry<String, Reading.Entry>> entrySet() {
            return view.entrySet();
        }

        @Override
        public Reading.Entry get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }

        @Override
        public Set<String> keySet() {
            return view.keySet();
        }

        @Override
        public Collection<Reading.Entry> values() {
            return view.values();
        }
    }

    /**
     * {@code newer} completed with any of this reading's points it lacks. Keys keep {@code newer}'s order, which
     * is the profile's when the scheduler publishes a device's full set of latest values.
     */
    public Reading mergedWith(Reading newer) {
        if (newer.values.keySet().containsAll(values.keySet())) {
            return newer; // the usual case: a device's full set of latest values
        }
        Map<String, Entry> m = new LinkedHashMap<>(newer.values());
        values.forEach(m::putIfAbsent);
        return new Reading(meterNo, newer.timestamp(), new Owned(m));
    }
}
