package io.edgegateway.sim.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A three-phase supply feeding a household-like load. Voltages and frequency jitter around nominal, current
 * follows a daily load curve with morning and evening peaks, power is V·I·PF, and energy registers integrate
 * power over simulated time, so they only ever grow.
 */
public final class MeterModel implements DeviceModel {

    private static final double NOMINAL_V = 230.0;
    private static final double NOMINAL_HZ = 50.0;
    private static final double[] PHASE_SHARE = {1.0, 0.8, 1.15};
    /** Integration steps longer than this are split, so a gateway polling rarely still sees smooth energy. */
    private static final Duration MAX_STEP = Duration.ofSeconds(60);

    private final SplittableRandom random;
    private final double peakCurrent;
    private final double[] volts = new double[3];
    private final double[] amps = new double[3];
    private final double[] pf = new double[3];
    private double hz = NOMINAL_HZ;
    private double importWh;
    private double exportWh;
    private double importVarh;
    private double exportVarh;
    private double apparentVAh;
    private double ampHours;
    private double demandW;
    private double maxDemandW;
    private double credit;
    /** The load limiter's threshold (W): a setting a head-end writes, kept here as the meter's state. */
    private double limiterThreshold;
    private Instant now;

    public MeterModel(long seed, Instant start) {
        this.random = new SplittableRandom(seed);
        this.peakCurrent = 8 + random.nextDouble() * 12;
        this.importWh = (1000 + random.nextDouble() * 9000) * 1000;
        this.exportWh = random.nextDouble() * 50_000;
        this.importVarh = importWh * 0.15;
        this.exportVarh = importVarh * 0.05;
        this.apparentVAh = importWh * 1.08;
        this.credit = 250.0;
        this.limiterThreshold = 10_000;
        this.now = start;
        sample(start);
        demandW = totalActive();
        maxDemandW = demandW;
    }

    @Override
    public synchronized void advance(Instant to) {
        while (to.isAfter(now)) {
            Instant next = now.plus(MAX_STEP).isBefore(to) ? now.plus(MAX_STEP) : to;
            double hours = Duration.between(now, next).toNanos() / 3.6e12;
            double p = totalActive();
            double q = totalReactive();
            if (p >= 0) {
                importWh += p * hours;
            } else {
                exportWh -= p * hours;
            }
            if (q >= 0) {
                importVarh += q * hours;
            } else {
                exportVarh -= q * hours;
            }
            apparentVAh += totalApparent() * hours;
            ampHours += (amps[0] + amps[1] + amps[2]) * hours;
            credit = Math.max(0, credit - p * hours / 1000 * 0.25); // 0.25 per kWh
            // 15-minute demand as an exponential average; the maximum ratchets up.
            double alpha = Math.min(1, hours / 0.25);
            demandW += (p - demandW) * alpha;
            maxDemandW = Math.max(maxDemandW, demandW);
            now = next;
            sample(now);
        }
    }

    private void sample(Instant t) {
        double hour = t.atZone(ZoneOffset.UTC).getHour() + t.atZone(ZoneOffset.UTC).getMinute() / 60.0;
        double load = 0.2 + 0.45 * gauss(hour, 8, 1.8) + 0.8 * gauss(hour, 19, 2.2);
        double slow = Math.sin(t.getEpochSecond() / 600.0);
        for (int i = 0; i < 3; i++) {
            volts[i] = NOMINAL_V + 1.5 * slow + random.nextGaussian() * 0.4 + (i - 1) * 0.6;
            amps[i] = Math.max(0.05, peakCurrent * PHASE_SHARE[i] * load * (1 + random.nextGaussian() * 0.03));
            pf[i] = Math.min(0.999, 0.93 + 0.03 * Math.sin(hour / 3 + i) + random.nextGaussian() * 0.004);
        }
        hz = NOMINAL_HZ + 0.02 * Math.sin(t.getEpochSecond() / 97.0) + random.nextGaussian() * 0.006;
    }

    private static double gauss(double x, double mean, double width) {
        double d = (x - mean) / width;
        return Math.exp(-d * d);
    }

    private double active(int i) {
        return volts[i] * amps[i] * pf[i];
    }

    private double apparent(int i) {
        return volts[i] * amps[i];
    }

    private double reactive(int i) {
        double s = apparent(i);
        double p = active(i);
        return Math.sqrt(Math.max(0, s * s - p * p));
    }

    private double totalActive() {
        return active(0) + active(1) + active(2);
    }

    private double totalApparent() {
        return apparent(0) + apparent(1) + apparent(2);
    }

    private double totalReactive() {
        return reactive(0) + reactive(1) + reactive(2);
    }

    // Line-to-line voltage of two phases 120 degrees apart.
    private double lineToLine(int a, int b) {
        return Math.sqrt(volts[a] * volts[a] + volts[b] * volts[b] + volts[a] * volts[b]);
    }

    // Neutral current: the vector sum of three currents 120 degrees apart.
    private double neutral() {
        double re = amps[0] - 0.5 * amps[1] - 0.5 * amps[2];
        double im = Math.sqrt(3) / 2 * (amps[1] - amps[2]);
        return Math.hypot(re, im);
    }

    @Override
    public synchronized OptionalDouble value(String quantity) {
        double v;
        switch (quantity) {
            case "voltage.l1" -> v = volts[0];
            case "voltage.l2" -> v = volts[1];
            case "voltage.l3" -> v = volts[2];
            case "voltage.l12" -> v = lineToLine(0, 1);
            case "voltage.l23" -> v = lineToLine(1, 2);
            case "voltage.l31" -> v = lineToLine(2, 0);
            case "voltage.ln.avg" -> v = (volts[0] + volts[1] + volts[2]) / 3;
            case "voltage.ll.avg" -> v = (lineToLine(0, 1) + lineToLine(1, 2) + lineToLine(2, 0)) / 3;
            case "current.l1" -> v = amps[0];
            case "current.l2" -> v = amps[1];
            case "current.l3" -> v = amps[2];
            case "current.avg" -> v = (amps[0] + amps[1] + amps[2]) / 3;
            case "current.sum" -> v = amps[0] + amps[1] + amps[2];
            case "current.n" -> v = neutral();
            case "power.active.l1" -> v = active(0);
            case "power.active.l2" -> v = active(1);
            case "power.active.l3" -> v = active(2);
            case "power.active.total" -> v = totalActive();
            case "power.apparent.l1" -> v = apparent(0);
            case "power.apparent.l2" -> v = apparent(1);
            case "power.apparent.l3" -> v = apparent(2);
            case "power.apparent.total" -> v = totalApparent();
            case "power.reactive.l1" -> v = reactive(0);
            case "power.reactive.l2" -> v = reactive(1);
            case "power.reactive.l3" -> v = reactive(2);
            case "power.reactive.total" -> v = totalReactive();
            case "pf.l1" -> v = pf[0];
            case "pf.l2" -> v = pf[1];
            case "pf.l3" -> v = pf[2];
            case "pf.total" -> v = totalActive() / totalApparent();
            case "angle.l1" -> v = Math.toDegrees(Math.acos(pf[0]));
            case "angle.l2" -> v = Math.toDegrees(Math.acos(pf[1]));
            case "angle.l3" -> v = Math.toDegrees(Math.acos(pf[2]));
            case "angle.total" -> v = Math.toDegrees(Math.acos(totalActive() / totalApparent()));
            case "frequency" -> v = hz;
            case "energy.active.import" -> v = importWh;
            case "energy.active.export" -> v = exportWh;
            case "energy.active.total" -> v = importWh + exportWh;
            case "energy.active.import.l1" -> v = importWh * PHASE_SHARE[0] / 2.95;
            case "energy.active.import.l2" -> v = importWh * PHASE_SHARE[1] / 2.95;
            case "energy.active.import.l3" -> v = importWh * PHASE_SHARE[2] / 2.95;
            case "energy.reactive.import" -> v = importVarh;
            case "energy.reactive.export" -> v = exportVarh;
            case "energy.reactive.total" -> v = importVarh + exportVarh;
            case "energy.apparent" -> v = apparentVAh;
            case "charge" -> v = ampHours;
            case "demand.power.total" -> v = demandW;
            case "demand.power.max" -> v = maxDemandW;
            case "thd.voltage.l1", "thd.voltage.l2", "thd.voltage.l3" -> v = 2.0 + random.nextGaussian() * 0.1;
            case "thd.current.l1", "thd.current.l2", "thd.current.l3" -> v = 9.0 + random.nextGaussian() * 0.5;
            case "phase.sequence" -> v = 0;
            case "credit" -> v = credit;
            // No emergency profile: the active threshold is always the normal one.
            case "limiter.threshold.normal", "limiter.threshold.active" -> v = limiterThreshold;
            default -> {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.of(v);
    }

    @Override
    public synchronized boolean write(String quantity, double value) {
        if (quantity.equals("credit")) {
            credit = value;
            return true;
        }
        if (quantity.equals("limiter.threshold.normal")) {
            limiterThreshold = value;
            return true;
        }
        return false;
    }
}
