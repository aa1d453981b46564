package io.edgegateway.store;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Aggregates on-change values into fixed time buckets. A stored value holds until the next one, so the average
 * of a bucket is weighted by how long each value held inside it; a value that came before the bucket and still
 * holds counts too (it is carried in), and so min and max cover every value in effect in the bucket. Buckets are
 * handed out in time order as soon as they are complete, so a month of buckets never sits in memory.
 */
public final class Buckets {

    /** One point in one bucket. */
    public record Stats(double min, double max, double avg, double last, int count) {
    }

    /** Receives each bucket that holds any value, in time order. */
    @FunctionalInterface
    public interface Sink {
        void bucket(long startMs, Map<String, Stats> points) throws IOException;
    }

    private static final class Acc {
        double value;
        long since;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double integral;
        long covered;
        int count;
        boolean seen;

        void hold(long fromMs, long toMs) {
            if (toMs > fromMs) {
                integral += value * (toMs - fromMs);
                covered += toMs - fromMs;
            }
            min = Math.min(min, value);
            max = Math.max(max, value);
            seen = true;
        }
    }

    private final long fromMs;
    private final long toMs;
    private final long intervalMs;
    private final long untilMs;
    private final Sink sink;
    private final Map<String, Acc> points = new LinkedHashMap<>();
    private long bucketStart;

    /** @param untilMs values hold at most until then (now): the future is not averaged */
    Buckets(long fromMs, long toMs, long intervalMs, long untilMs, Sink sink) {
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.intervalMs = intervalMs;
        this.untilMs = untilMs;
        this.sink = sink;
        this.bucketStart = fromMs;
    }

    /** A value already in effect at {@code fromMs}. */
    void carryIn(String point, double value) {
        Acc a = new Acc();
        a.value = value;
        a.since = fromMs;
        points.put(point, a);
    }

    boolean knows(String point, double value) {
        Acc a = points.get(point);
        return a != null && a.value == value;
    }

    /** A stored value at {@code ts} ({@code counts}: it is a new value, not a repeat in a full reading). */
    void value(String point, long ts, double value, boolean counts) throws IOException {
        advanceTo(ts);
        Acc a = points.computeIfAbsent(point, k -> {
            Acc n = new Acc();
            n.since = ts;
            return n;
        });
        if (a.seen || a.since < ts) {
            a.hold(Math.max(a.since, bucketStart), ts);
        }
        a.value = value;
        a.since = ts;
        a.min = Math.min(a.min, value);
        a.max = Math.max(a.max, value);
        a.seen = true;
        if (counts) {
            a.count++;
        }
    }

    /** Emits every bucket up to the one that holds {@code ts}. */
    private void advanceTo(long ts) throws IOException {
        while (ts >= bucketStart + intervalMs && bucketStart < toMs) {
            close(bucketStart + intervalMs);
        }
    }

    /** Ends the current bucket at {@code end}, emits it, and starts the next with every value carried in. */
    private void close(long end) throws IOException {
        long heldUntil = Math.min(end, untilMs);
        Map<String, Stats> out = new LinkedHashMap<>();
        for (Map.Entry<String, Acc> e : points.entrySet()) {
            Acc a = e.getValue();
            a.hold(Math.max(a.since, bucketStart), heldUntil);
            double avg = a.covered > 0 ? a.integral / a.covered : a.value;
            out.put(e.getKey(), new Stats(a.min, a.max, avg, a.value, a.count));
        }
        if (!out.isEmpty() && bucketStart < untilMs) {
            sink.bucket(bucketStart, out);
        }
        bucketStart = end;
        for (Acc a : points.values()) {
            a.since = bucketStart;
            a.min = Double.POSITIVE_INFINITY;
            a.max = Double.NEGATIVE_INFINITY;
            a.integral = 0;
            a.covered = 0;
            a.count = 0;
            a.seen = false;
        }
    }

    /** Emits the remaining buckets up to {@code toMs} (or now). */
    void finish() throws IOException {
        long end = Math.min(toMs, untilMs);
        while (bucketStart < end) {
            close(Math.min(bucketStart + intervalMs, toMs));
        }
    }
}
