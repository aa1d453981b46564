package io.edgegateway.sim.fault;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The faults of one simulator, changeable while it runs: one plan for everything it serves and optionally one per
 * unit id (both apply). Thread-safe; connection threads ask {@link #decide} once per request.
 */
public final class Faults {

    /** What to do with one request. */
    public record Decision(boolean silent, boolean drop, int exceptionCode, Duration delay, boolean corruptCrc,
                           int drip, boolean garbage) {
        public static final Decision NORMAL = new Decision(false, false, 0, Duration.ZERO, false, 0, false);
    }

    /** A plan with the moment it was set (flap phases count from there) and its request counters. */
    private static final class Scope {
        final FaultPlan plan;
        final long since = System.nanoTime();
        long requests;

        Scope(FaultPlan plan) {
            this.plan = plan;
        }
    }

    private volatile Scope all = new Scope(FaultPlan.NONE);
    private final Map<Integer, Scope> units = new ConcurrentHashMap<>();
    private final SplittableRandom random = new SplittableRandom(20251215);

    /** Sets the faults of every unit (replacing the previous simulator-wide plan). */
    public void set(FaultPlan plan) {
        all = new Scope(plan);
    }

    /** Sets the faults of one unit, on top of the simulator-wide plan. */
    public void set(int unit, FaultPlan plan) {
        units.put(unit, new Scope(plan));
    }

    /** A well-behaved simulator again. */
    public void clear() {
        all = new Scope(FaultPlan.NONE);
        units.clear();
    }

    public void clear(int unit) {
        units.remove(unit);
    }

    public FaultPlan plan() {
        return all.plan;
    }

    public FaultPlan plan(int unit) {
        Scope s = units.get(unit);
        return s == null ? FaultPlan.NONE : s.plan;
    }

    /** Whether any fault is set at all: the fast path for a healthy simulator. */
    public boolean any() {
        return !all.plan.isNone() || !units.isEmpty();
    }

    /**
     * Decides the fate of one request to {@code unit}; counts it for the every-Nth faults.
     *
     * @param firstOnConnection the first request on its connection (for {@code first-late})
     */
    public Decision decide(int unit, boolean firstOnConnection) {
        Scope a = all;
        Scope u = units.get(unit);
        if (a.plan.isNone() && u == null) {
            return Decision.NORMAL;
        }
        long now = System.nanoTime();
        boolean silent = false;
        boolean drop = false;
        int exception = 0;
        Duration delay = Duration.ZERO;
        boolean corrupt = false;
        int drip = 0;
        boolean garbage = false;
        for (Scope s : u == null ? new Scope[] {a} : new Scope[] {a, u}) {
            FaultPlan p = s.plan;
            if (p.isNone()) {
                continue;
            }
            long n;
            synchronized (s) {
                n = ++s.requests;
            }
            silent |= p.silent() || flapSilent(p, now - s.since);
            drop |= p.dropEvery() > 0 && n % p.dropEvery() == 0;
            if (p.exceptionCode() != 0 && n % p.exceptionEvery() == 0) {
                exception = p.exceptionCode();
            }
            Duration d = firstOnConnection ? p.delay().plus(p.firstLate()) : p.delay();
            if (d.compareTo(delay) > 0) {
                delay = d;
            }
            drip = p.drip() != 0 ? p.drip() : drip;
            garbage |= p.garbage();
            if (p.corruptCrc() > 0) {
                double r;
                synchronized (random) {
                    r = random.nextDouble();
                }
                corrupt |= r < p.corruptCrc();
            }
        }
        return new Decision(silent, drop, exception, delay, corrupt, drip, garbage);
    }

    private static boolean flapSilent(FaultPlan p, long elapsedNanos) {
        if (p.flapAnswering().isZero()) {
            return false;
        }
        long on = p.flapAnswering().toNanos();
        long cycle = on + p.flapSilent().toNanos();
        return elapsedNanos % cycle >= on;
    }

    public String describe() {
        StringBuilder b = new StringBuilder(all.plan.isNone() ? "" : "all units: " + all.plan.describe());
        units.forEach((unit, s) -> b.append(b.isEmpty() ? "" : "; ").append("unit ").append(unit).append(": ")
                .append(s.plan.describe()));
        return b.isEmpty() ? "none" : b.toString();
    }
}
