package io.edgegateway.sim.dlms;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The past of a simulated meter, for the rows its buffers hold at start: a deterministic household load (the
 * model's daily curve with morning and evening peaks, a few percent of seeded noise per quarter hour), integrated
 * backwards from the energy registers' values at start. Energy at an earlier time is the value at start minus what
 * was consumed since, so it never decreases towards the start and never exceeds the start value.
 *
 * <p>Times are real (simulator) times; the meter's clock offset is applied by the caller.
 */
final class HistoryCurve {

    private static final long STEP = 900;
    private static final double STEP_HOURS = STEP / 3600.0;

    private final long seed;
    private final long start;
    private final double scale;
    private final double reactiveScale;
    private final double importWh;
    private final double importVarh;
    /** Consumed between {@code start - i * STEP} and {@code start}, per step i. */
    private final double[] activeSince;
    private final double[] reactiveSince;

    /**
     * @param start      real time of the meter's values at start
     * @param oldest     the earliest real time a row will need
     * @param powerNow   active power at start (W), which sets the load's size
     * @param importWh   active import energy at start (Wh)
     * @param importVarh reactive import energy at start (varh)
     */
    HistoryCurve(long seed, Instant start, Instant oldest, double powerNow, double importWh, double importVarh) {
        this.seed = seed;
        this.start = start.getEpochSecond();
        this.importWh = importWh;
        this.importVarh = importVarh;
        double atStart = load(start.getEpochSecond());
        double s = Math.max(100, powerNow) / atStart;
        int steps = (int) Math.max(1, Duration.between(oldest, start).getSeconds() / STEP + 2);
        double[] p = new double[steps + 1];
        double[] q = new double[steps + 1];
        for (int i = 0; i < steps; i++) {
            long mid = this.start - i * STEP - STEP / 2;
            double w = s * shape(mid);
            p[i + 1] = p[i] + w * STEP_HOURS;
            q[i + 1] = q[i] + w * reactiveRatio(mid) * STEP_HOURS;
        }
        // A meter younger than the history asked for would go below zero: its past load is scaled down to fit.
        double k = p[steps] > 0.9 * importWh ? 0.9 * importWh / p[steps] : 1;
        double kq = q[steps] > 0.9 * importVarh ? 0.9 * importVarh / q[steps] : 1;
        for (int i = 0; i <= steps; i++) {
            p[i] *= k;
            q[i] *= kq;
        }
        this.scale = s * k;
        this.reactiveScale = kq / k;
        this.activeSince = p;
        this.reactiveSince = q;
    }

    /** Active power (W) at {@code t}. */
    double power(long t) {
        return scale * shape(t);
    }

    /** Reactive power (var) at {@code t}. */
    double reactivePower(long t) {
        return power(t) * reactiveRatio(t) * reactiveScale;
    }

    /** Active import energy (Wh) at {@code t}, at most its value at start. */
    double activeImport(long t) {
        return importWh - since(activeSince, t);
    }

    /** Reactive import energy (varh) at {@code t}. */
    double reactiveImport(long t) {
        return importVarh - since(reactiveSince, t);
    }

    /** L1 voltage (V) at {@code t}: nominal with a slow swing and a little noise. */
    double voltage(long t) {
        return 230.0 + 1.5 * Math.sin(t / 600.0) + 0.4 * noise(seed + 1, Math.floorDiv(t, STEP));
    }

    private double since(double[] cumulative, long t) {
        if (t >= start) {
            return 0;
        }
        double x = (start - t) / (double) STEP;
        int i = (int) x;
        if (i >= cumulative.length - 1) {
            return cumulative[cumulative.length - 1];
        }
        return cumulative[i] + (x - i) * (cumulative[i + 1] - cumulative[i]);
    }

    private double shape(long t) {
        return load(t) * (1 + 0.05 * noise(seed, Math.floorDiv(t, STEP)));
    }

    /** The model's daily load shape by UTC hour: base load, a morning and a larger evening peak. */
    private static double load(long t) {
        ZonedDateTime z = Instant.ofEpochSecond(t).atZone(ZoneOffset.UTC);
        double hour = z.getHour() + z.getMinute() / 60.0;
        return 0.2 + 0.45 * gauss(hour, 8, 1.8) + 0.8 * gauss(hour, 19, 2.2);
    }

    private static double reactiveRatio(long t) {
        double hour = Math.floorMod(t, 86_400L) / 3600.0;
        double pf = Math.min(0.999, 0.93 + 0.03 * Math.sin(hour / 3 + 1));
        return Math.tan(Math.acos(pf));
    }

    private static double gauss(double x, double mean, double width) {
        double d = (x - mean) / width;
        return Math.exp(-d * d);
    }

    /** A repeatable number in [-1, 1) for (seed, slot): SplitMix64's finaliser. */
    static double noise(long seed, long slot) {
        return unit(mix(seed, slot)) * 2 - 1;
    }

    static long mix(long seed, long slot) {
        long z = seed * 0x9E3779B97F4A7C15L + slot * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
