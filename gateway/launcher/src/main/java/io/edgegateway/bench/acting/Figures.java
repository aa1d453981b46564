package io.edgegateway.bench.acting;

import java.util.Arrays;
import java.util.List;

/** Medians, minima and percentiles of what the rounds measured. */
final class Figures {

    private Figures() {
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The {@code q} quantile (0..1) of {@code nanos}, nearest rank, in milliseconds. */
    static double percentileMs(long[] nanos, double q) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(q * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))] / 1e6;
    }

    /** Heap in use after full collections: what live objects retain (the bench runs with the serial collector). */
    static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
