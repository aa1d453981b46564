package io.edgegateway.modbus;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The values of one read, in the order the points were asked for. Array-backed: building it hashes no point
 * ({@link Point} is a record that hashes all its fields, labels and decimals included, on every call), which
 * matters at thousands of reads a second. Lookups compare identity first, then equality. Immutable; the points
 * must be distinct.
 */
final class PointValues extends AbstractMap<Point, PointValue> {

    private final Point[] points;
    private final PointValue[] values;

    PointValues(Point[] points, PointValue[] values) {
        this.points = points;
        this.values = values;
    }

    @Override
    public int size() {
        return points.length;
    }

    @Override
    public PointValue get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < points.length; i++) {
            if (points[i] == key) {
                return i;
            }
        }
        for (int i = 0; i < points.length; i++) {
            if (points[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<Point, PointValue>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Point, PointValue>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < points.length;
                    }

                    @Override
                    public Entry<Point, PointValue> next() {
                        if (next >= points.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(points[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return points.length;
            }
        };
    }
}
