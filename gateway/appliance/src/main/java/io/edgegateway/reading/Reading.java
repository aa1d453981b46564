package io.edgegateway.reading;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.time.Instant;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

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
        values = values instanceof Owned || values instanceof Aligned ? values
                : new Owned(new LinkedHashMap<>(values));
    }

    public static Reading of(String meterNo, Instant timestamp, Map<Point, PointValue> values) {
        Map<String, Entry> m = LinkedHashMap.newLinkedHashMap(values.size());
        values.forEach((p, v) -> m.put(p.name(), new Entry(p, v)));
        return new Reading(meterNo, timestamp, new Owned(m));
    }

    /**
     * A device's points in profile order, shared by all its readings: a reading of them keeps its values in an
     * array in that order, not in a map of its own (at 500 meters, the map's nodes were a third of every reading,
     * and readings live long enough to be copied by the collector).
     */
    public static final class Layout {
        private final List<Point> points;
        /** Per name, its position; a name given twice keeps its first place, as a map would. */
        private final Map<String, Integer> index;
        /** Per position, its point; null when a name is given twice (such a layout's readings are maps). */
        private final Point[] pointAt;

        public Layout(List<Point> points) {
            this.points = List.copyOf(points);
            Map<String, Integer> at = HashMap.newHashMap(points.size());
            this.points.forEach(p -> at.putIfAbsent(p.name(), at.size()));
            this.index = Map.copyOf(at);
            this.pointAt = at.size() == this.points.size() ? this.points.toArray(Point[]::new) : null;
        }

        public List<Point> points() {
            return points;
        }
    }

    /** The values of {@code layout}'s points that {@code values} holds, in the layout's order. */
    public static Reading of(String meterNo, Instant timestamp, Layout layout, Map<Point, PointValue> values) {
        if (layout.pointAt == null) {
            Map<Point, PointValue> ordered = LinkedHashMap.newLinkedHashMap(layout.points.size());
            layout.points.forEach(p -> {
                PointValue v = values.get(p);
                if (v != null) {
                    ordered.put(p, v);
                }
            });
            return of(meterNo, timestamp, ordered);
        }
        PointValue[] at = new PointValue[layout.pointAt.length];
        int size = 0;
        for (int i = 0; i < at.length; i++) {
            at[i] = values.get(layout.pointAt[i]);
            size += at[i] != null ? 1 : 0;
        }
        return new Reading(meterNo, timestamp, new Aligned(layout, at, size));
    }

    /**
     * The names of this reading's points whose value changed beyond its deadband ({@link Point#changed}) against
     * what {@code reported} holds of it, as {@link #namesWhere} gives them; each such value becomes the reported
     * one. Over the layout {@code reported} follows, this is an array per meter, not a lookup by name per point.
     */
    public Set<String> changesSince(Reported reported) {
        if (values instanceof Aligned a) { // only a layout with a point per name makes one
            return a.changesSince(reported);
        }
        return namesWhere(e -> {
            String name = e.point().name();
            if (!e.point().changed(reported.get(name), e.value())) {
                return false;
            }
            reported.put(name, e.value());
            return true;
        });
    }

    /**
     * What was last reported of each of a meter's points, against which its next reading's changes are found.
     * Kept by position while the readings follow one {@link Layout}; a reading over another layout (a profile
     * reloaded) moves the values over by name.
     */
    public static final class Reported {
        private Layout layout;
        private PointValue[] at = new PointValue[0];
        /** Values of names outside {@code layout}. */
        private final Map<String, PointValue> others = new HashMap<>();

        public PointValue get(String name) {
            Integer i = position(name);
            return i != null ? at[i] : others.get(name);
        }

        public void put(String name, PointValue value) {
            Integer i = position(name);
            if (i != null) {
                at[i] = value;
            } else {
                others.put(name, value);
            }
        }

        /** The name's position in the layout followed, or null when it is not in it (or none is followed). */
        private Integer position(String name) {
            return layout == null ? null : layout.index.get(name);
        }

        /** The values by position in {@code next}, which has a point per name. */
        private PointValue[] over(Layout next) {
            if (next != layout) {
                for (int i = 0; i < at.length; i++) {
                    if (at[i] != null) {
                        others.put(layout.pointAt[i].name(), at[i]);
                    }
                }
                PointValue[] moved = new PointValue[next.pointAt.length];
                for (int i = 0; i < moved.length; i++) {
                    moved[i] = others.remove(next.pointAt[i].name());
                }
                layout = next;
                at = moved;
            }
            return at;
        }
    }

    /**
     * The names of this reading's points that {@code test} accepts, read-only, in this reading's order. {@code test}
     * sees each entry once, in that order. Over a layout the set is a bit per position, not a hash set of names:
     * the hub keeps one with every event it publishes (see {@link #changesSince}).
     */
    Set<String> namesWhere(Predicate<Entry> test) {
        if (values instanceof Aligned a) {
            return a.namesWhere(test);
        }
        Set<String> names = new HashSet<>();
        for (Entry e : values.values()) {
            if (test.test(e)) {
                names.add(e.point().name());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * A reading's values over its device's {@link Layout}: values by position, null where a point has none. An
     * entry is made when asked for: kept, the entries were a fifth of a reading.
     */
    private static final class Aligned extends AbstractMap<String, Reading.Entry> {
        private final Layout layout;
        private final PointValue[] values;
        private final int size;

        Aligned(Layout layout, PointValue[] values, int size) {
            this.layout = layout;
            this.values = values;
            this.size = size;
        }

        boolean complete() {
            return size == values.length;
        }

        private Reading.Entry entry(int at) {
            return values[at] == null ? null : new Reading.Entry(layout.pointAt[at], values[at]);
        }

        @Override
        public Reading.Entry get(Object key) {
            Integer at = key instanceof String name ? layout.index.get(name) : null; // the index takes no null
            return at == null ? null : entry(at);
        }

        @Override
        public boolean containsKey(Object key) {
            Integer at = key instanceof String name ? layout.index.get(name) : null;
            return at != null && values[at] != null;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<String> keySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<String> iterator() {
                    return present(at -> layout.pointAt[at].name());
                }

                @Override
                public boolean contains(Object o) {
                    return containsKey(o);
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }

        @Override
        public Collection<Reading.Entry> values() {
            return new AbstractCollection<>() {
                @Override
                public Iterator<Reading.Entry> iterator() {
                    return present(Aligned.this::entry);
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }

        @Override
        public Set<Map.Entry<String, Reading.Entry>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, Reading.Entry>> iterator() {
                    return present(at -> Map.entry(layout.pointAt[at].name(), entry(at)));
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }

        Set<String> changesSince(Reported reported) {
            PointValue[] before = reported.over(layout);
            return positionsWhere(at -> {
                if (!layout.pointAt[at].changed(before[at], values[at])) {
                    return false;
                }
                before[at] = values[at];
                return true;
            });
        }

        Set<String> namesWhere(Predicate<Reading.Entry> test) {
            return positionsWhere(at -> test.test(entry(at)));
        }

        /** The names at the positions with a value that {@code test} accepts, each position offered once, in order. */
        private Set<String> positionsWhere(IntPredicate test) {
            long[] bits = new long[(values.length + 63) >>> 6];
            int count = 0;
            for (int at = 0; at < values.length; at++) {
                if (values[at] != null && test.test(at)) {
                    bits[at >>> 6] |= 1L << at;
                    count++;
                }
            }
            return count == 0 ? Set.of() : new Positions(layout, bits, count);
        }

        /** What {@code as} makes of each position that has a value, in layout order. */
        private <T> Iterator<T> present(IntFunction<T> as) {
            return new Iterator<>() {
                private int next = advance(0);

                private int advance(int from) {
                    int i = from;
                    while (i < values.length && values[i] == null) {
                        i++;
                    }
                    return i;
                }

                @Override
                public boolean hasNext() {
                    return next < values.length;
                }

                @Override
                public T next() {
                    if (next >= values.length) {
                        throw new NoSuchElementException();
                    }
                    int at = next;
                    next = advance(next + 1);
                    return as.apply(at);
                }
            };
        }
    }

    /** Names of some of a layout's points, a bit per position, in layout order; read-only. */
    private static final class Positions extends AbstractSet<String> {
        private final Layout layout;
        private final long[] bits;
        private final int size;

        Positions(Layout layout, long[] bits, int size) {
            this.layout = layout;
            this.bits = bits;
            this.size = size;
        }

        @Override
        public boolean contains(Object o) {
            Integer at = o instanceof String name ? layout.index.get(name) : null;
            return at != null && (bits[at >>> 6] & 1L << at) != 0;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private int next = after(-1);

                private int after(int at) {
                    int from = at + 1;
                    for (int w = from >>> 6; w < bits.length; w++) {
                        long word = w == from >>> 6 ? bits[w] & -1L << from : bits[w];
                        if (word != 0) {
                            return (w << 6) + Long.numberOfTrailingZeros(word);
                        }
                    }
                    return -1;
                }

                @Override
                public boolean hasNext() {
                    return next >= 0;
                }

                @Override
                public String next() {
                    if (next < 0) {
                        throw new NoSuchElementException();
                    }
                    String name = layout.pointAt[next].name();
                    next = after(next);
                    return name;
                }
            };
        }
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
        if (newer.values instanceof Aligned a && a.complete()
                && values instanceof Aligned mine && mine.layout == a.layout) {
            return newer; // a device's full set of latest values, without comparing every name
        }
        if (newer.values.keySet().containsAll(values.keySet())) {
            return newer; // the usual case: a device's full set of latest values
        }
        Map<String, Entry> m = new LinkedHashMap<>(newer.values());
        values.forEach(m::putIfAbsent);
        return new Reading(meterNo, newer.timestamp(), new Owned(m));
    }
}
