package io.edgegateway.store;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.Reading;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * One meter's values as of a stored event: a full reading (kind 2) replaces them, a delta (kind 1) changes some.
 * Readings are rebuilt from it in the meter's profile order, every known point with its latest value, as the hub
 * published them.
 */
final class MeterFold {

    private final String meterNo;
    private final PointCatalog catalog;
    private final Map<Integer, PointValue> values = new HashMap<>();

    MeterFold(String meterNo, PointCatalog catalog) {
        this.meterNo = meterNo;
        this.catalog = catalog;
    }

    /** Applies a stored reading; returns the names of the points the hub had counted as changed. */
    Set<String> apply(int kind, byte[] body) {
        if (kind == EventStore.KEYFRAME) {
            values.clear();
        }
        Set<String> changed = new LinkedHashSet<>();
        for (ValueCodec.Entry e : ValueCodec.decode(body)) {
            values.put(e.pointId(), e.value());
            if (e.changed()) {
                Point p = catalog.point(e.pointId());
                if (p != null) {
                    changed.add(p.name());
                }
            }
        }
        return changed;
    }

    /** The point id to value map, for callers that aggregate. */
    Map<Integer, PointValue> values() {
        return values;
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** The reading as the hub published it at {@code at}. */
    Reading reading(Instant at) {
        // In id order, so that of a point whose rendering changed (two ids) the newer id's value wins.
        Map<String, Reading.Entry> byName = new LinkedHashMap<>();
        for (Map.Entry<Integer, PointValue> v : new TreeMap<>(values).entrySet()) {
            Point p = catalog.point(v.getKey());
            if (p != null) {
                byName.put(p.name(), new Reading.Entry(p, v.getValue()));
            }
        }
        Map<String, Reading.Entry> ordered = new LinkedHashMap<>();
        for (String name : catalog.configuredOrder(meterNo)) {
            Reading.Entry e = byName.remove(name);
            if (e != null) {
                ordered.put(name, e);
            }
        }
        ordered.putAll(byName); // points no longer configured, after the others
        return new Reading(meterNo, at, ordered);
    }
}
