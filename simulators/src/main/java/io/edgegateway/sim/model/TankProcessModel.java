package io.edgegateway.sim.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A 10 m³ water tank drained by a consumer and filled by a pump, run the way a small PLC would: in AUTO the
 * pump starts below the low level setpoint and stops above the high one; in MANUAL it follows the manual-run
 * command; OFF stops it. Writable: level setpoints, pump speed setpoint, mode, pump enable, manual run; a
 * written setpoint acts from the next step on (the pump speed ramps to a new speed setpoint at 20 %/s).
 */
public final class TankProcessModel implements DeviceModel {

    static final int MODE_OFF = 0;
    static final int MODE_AUTO = 1;
    static final int MODE_MANUAL = 2;

    private static final double TANK_M3 = 10.0;
    private static final double PUMP_MAX_M3H = 12.0;
    private static final Duration MAX_STEP = Duration.ofSeconds(1);

    private final SplittableRandom random;
    private double level = 55;          // %
    private double highSetpoint = 80;   // %
    private double lowSetpoint = 30;    // %
    private double speedSetpoint = 75;  // %
    private int mode = MODE_AUTO;
    private boolean pumpEnable = true;
    private boolean manualRun;
    private boolean running;
    private double speed;               // %, ramps toward the setpoint
    private double inflow;
    private double outflow;
    private double runHours = 1234.5;
    private long starts = 87;
    private boolean doorOpen;
    private Instant now;

    public TankProcessModel(long seed, Instant start) {
        this.random = new SplittableRandom(seed);
        this.now = start;
    }

    @Override
    public synchronized void advance(Instant to) {
        while (to.isAfter(now)) {
            Instant next = now.plus(MAX_STEP).isBefore(to) ? now.plus(MAX_STEP) : to;
            step(Duration.between(now, next).toNanos() / 1e9, next);
            now = next;
        }
    }

    private void step(double seconds, Instant t) {
        boolean want = switch (mode) {
            case MODE_AUTO -> running ? level < highSetpoint : level < lowSetpoint;
            case MODE_MANUAL -> manualRun;
            default -> false;
        };
        want &= pumpEnable && level < 99.5;
        if (want && !running) {
            starts++;
        }
        running = want;
        double target = running ? speedSetpoint : 0;
        speed += Math.signum(target - speed) * Math.min(Math.abs(target - speed), 20 * seconds); // 20 %/s ramp
        double hour = t.atZone(ZoneOffset.UTC).getHour() + t.atZone(ZoneOffset.UTC).getMinute() / 60.0;
        outflow = Math.max(0, 3 + 2 * Math.sin((hour - 6) / 24 * 2 * Math.PI) + random.nextGaussian() * 0.1);
        inflow = PUMP_MAX_M3H * speed / 100;
        level += (inflow - outflow) / 3600 * seconds / TANK_M3 * 100;
        level = Math.max(0, Math.min(100, level));
        if (running) {
            runHours += seconds / 3600;
        }
        if (random.nextDouble() < seconds / 3600) {
            doorOpen = !doorOpen; // someone opens or closes the cabinet about once an hour
        }
    }

    private int state() {
        if (level > 95 || level < 5) {
            return 3;
        }
        if (mode == MODE_OFF) {
            return 0;
        }
        return running ? 1 : 2;
    }

    @Override
    public synchronized OptionalDouble value(String quantity) {
        double v;
        switch (quantity) {
            case "plc.level" -> v = level;
            case "plc.inflow" -> v = inflow;
            case "plc.outflow" -> v = outflow;
            case "plc.pressure" -> v = running ? 0.5 + 2.5 * speed / 100 : 0.3 + level * 0.01;
            case "plc.temperature" -> v = 12 + 3 * Math.sin(now.getEpochSecond() / 7200.0) + random.nextGaussian() * 0.05;
            case "plc.pump.speed" -> v = speed;
            case "plc.pump.hours" -> v = runHours;
            case "plc.pump.starts" -> v = starts;
            case "plc.state" -> v = state();
            case "plc.status.sensor" -> v = 1;
            case "plc.status.door" -> v = doorOpen ? 1 : 0;
            case "plc.setpoint.level.high" -> v = highSetpoint;
            case "plc.setpoint.level.low" -> v = lowSetpoint;
            case "plc.setpoint.pump.speed" -> v = speedSetpoint;
            case "plc.mode" -> v = mode;
            case "plc.pump.enable" -> v = pumpEnable ? 1 : 0;
            case "plc.pump.manual" -> v = manualRun ? 1 : 0;
            case "plc.pump.running" -> v = running ? 1 : 0;
            case "plc.alarm.high" -> v = level > 95 ? 1 : 0;
            case "plc.alarm.low" -> v = level < 5 ? 1 : 0;
            case "plc.pump.fault" -> v = 0;
            default -> {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.of(v);
    }

    /**
     * {@inheritDoc} A setpoint outside 0..100 % or a mode other than 0, 1, 2 is refused, as a PLC answers a value
     * it will not take (Modbus exception 03).
     *
     * @throws IllegalArgumentException for a value outside what the quantity takes
     */
    @Override
    public synchronized boolean write(String quantity, double value) {
        switch (quantity) {
            case "plc.setpoint.level.high" -> highSetpoint = within(value, 0, 100);
            case "plc.setpoint.level.low" -> lowSetpoint = within(value, 0, 100);
            case "plc.setpoint.pump.speed" -> speedSetpoint = within(value, 0, 100);
            case "plc.mode" -> mode = (int) within(value, MODE_OFF, MODE_MANUAL);
            case "plc.pump.enable" -> pumpEnable = value != 0;
            case "plc.pump.manual" -> manualRun = value != 0;
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public String text(String quantity) {
        return quantity.equals("plc.tag") ? "TANK-01" : null;
    }

    private static double within(double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(v + " is outside " + min + ".." + max);
        }
        return v;
    }
}
