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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

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
     * A device's points in profile order, shared by all its readings: a reading of them keeps its entries in an
     * array in that order, not in a map of its own (at 500 meters, the map's nodes were a third of every reading,
     * and readings live long enough to be copied by the collector).
     */
    public static final class Layout {
        private final List<Point> points;
        /** Per point, its name's position: a name given twice keeps its first place, as a map would. */
        private final int[] slot;
        private final Map<String, Integer> index;

        public Layout(List<Point> points) {
            this.points = List.copyOf(points);
            this.slot = new int[this.points.size()];
            Map<String, Integer> at = HashMap.newHashMap(points.size());
            for (int i = 0; i < slot.length; i++) {
                Integer first = at.putIfAbsent(this.points.get(i).name(), at.size());
                slot[i] = first != null ? first : at.size() - 1;
            }
            this.index = Map.copyOf(at);
        }

        public List<Point> points() {
            return points;
        }
    }

    /** The values of {@code layout}'s points that {@code values} holds, in the layout's order. */
    public static Reading of(String meterNo, Instant timestamp, Layout layout, Map<Point, PointValue> values) {
        Entry[] entries = new Entry[layout.index.size()];
        int size = 0;
        for (int i = 0; i < layout.slot.length; i++) {
            Point p = layout.points.get(i);
            PointValue v = values.get(p);
            if (v != null) {
                size += entries[layout.slot[i]] == null ? 1 : 0;
                entries[layout.slot[i]] = new Entry(p, v);
            }
        }
        return new Reading(meterNo, timestamp, new Aligned(layout, entries, size));
    }

    /** A reading's values over its device's {@link Layout}: entries by position, null where a point has none. */
    private static final class Aligned extends AbstractMap<String, Reading.Entry> {
        private final Layout layout;
        private final Reading.Entry[] entries;
        private final int size;

        Aligned(Layout layout, Reading.Entry[] entries, int size) {
            this.layout = layout;
            this.entries = entries;
            this.size = size;
        }

        boolean complete() {
            return size == entries.length;
        }

        @Override
        public Reading.Entry get(Object key) {
            Integer at = key instanceof String name ? layout.index.get(name) : null; // the index takes no null
            return at == null ? null : entries[at];
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
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
                    return present(e -> e.point().name());
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
                    return present(Function.identity());
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
                    return present(e -> Map.entry(e.point().name(), e));
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }

        /** What {@code as} makes of each entry that is there, in layout order. */
        private <T> Iterator<T> present(Function<Reading.Entry, T> as) {
            return new Iterator<>() {
                private int next = advance(0);

                private int advance(int from) {
                    int i = from;
                    while (i < entries.length && entries[i] == null) {
                        i++;
                    }
                    return i;
                }

                @Override
                public boolean hasNext() {
                    return next < entries.length;
                }

                @Override
                public T next() {
                    if (next >= entries.length) {
                        throw new NoSuchElementException();
                    }
                    Reading.Entry e = entries[next];
                    next = advance(next + 1);
                    return as.apply(e);
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
