package io.edgegateway.reading;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Reading of(String meterNo, Instant timestamp, Map<Point, PointValue> values) {
        Map<String, Entry> m = new LinkedHashMap<>();
        values.forEach((p, v) -> m.put(p.name(), new Entry(p, v)));
        return new Reading(meterNo, timestamp, m);
    }

    /**
     * {@code newer} completed with any of this reading's points it lacks. Keys keep {@code newer}'s order, which
     * is the profile's when the scheduler publishes a device's full set of latest values.
     */
    public Reading mergedWith(Reading newer) {
        Map<String, Entry> m = new LinkedHashMap<>(newer.values());
        values.forEach(m::putIfAbsent);
        return new Reading(meterNo, newer.timestamp(), m);
    }
}
