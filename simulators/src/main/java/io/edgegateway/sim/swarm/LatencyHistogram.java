package io.edgegateway.sim.swarm;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Millisecond latencies in 1 ms buckets up to 60 s, safe to record from many threads. */
final class LatencyHistogram {

    private static final int MAX_MS = 60_000;
    private final AtomicLongArray buckets = new AtomicLongArray(MAX_MS + 1);
    private final LongAdder count = new LongAdder();

    void record(long millis) {
        buckets.incrementAndGet((int) Math.max(0, Math.min(MAX_MS, millis)));
        count.increment();
    }

    long count() {
        return count.sum();
    }

    /** The latency at or below which {@code fraction} of samples fall; -1 if empty. */
    long percentile(double fraction) {
        long total = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            total += buckets.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long target = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            seen += buckets.get(i);
            if (seen >= target) {
                return i;
            }
        }
        return MAX_MS;
    }
}
