package io.edgegateway.sim.model;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A profile brought to life: each point's value comes from the model quantity it is tagged with, converted to
 * the point's unit. Tests and field engineers can freeze the dynamics and pin any point to a value.
 * Thread-safe: protocol servers read it from their connection threads.
 */
public final class SimulatedDevice {

    private final DeviceProfile profile;
    private final DeviceModel model;
    private final Clock clock;
    private final Map<String, PointValue> pinned = new HashMap<>();
    /** Values handed out while frozen: some quantities (THD, temperature) carry fresh noise on every look. */
    private final Map<String, PointValue> frozenValues = new HashMap<>();
    private boolean frozen;

    public SimulatedDevice(DeviceProfile profile, DeviceModel model, Clock clock) {
        this.profile = profile;
        this.model = model;
        this.clock = clock;
    }

    /** A device with the model its profile asks for, seeded for repeatable values. */
    public static SimulatedDevice of(DeviceProfile profile, long seed, Clock clock) {
        return new SimulatedDevice(profile, DeviceModel.forProfile(profile, seed, clock.instant()), clock);
    }

    public DeviceProfile profile() {
        return profile;
    }

    public DeviceModel model() {
        return model;
    }

    /**
     * The point's current value in its own units (scaling not applied: that is the encoder's job). Points
     * without a known quantity read as 0 (or empty text).
     */
    public synchronized PointValue value(Point point) {
        PointValue pin = pinned.get(point.name());
        if (pin != null) {
            return pin;
        }
        if (frozen) {
            return frozenValues.computeIfAbsent(point.name(), k -> current(point));
        }
        model.advance(clock.instant());
        return current(point);
    }

    /**
     * The point's value with the model moved forward to {@code at} only, not to the clock's now: what a meter
     * captured at a past period boundary. Pins and freezing apply as in {@link #value}; an {@code at} before the
     * model's time gives the model's current value (the model never goes back).
     */
    public synchronized PointValue valueAt(Point point, Instant at) {
        PointValue pin = pinned.get(point.name());
        if (pin != null) {
            return pin;
        }
        if (frozen) {
            return frozenValues.computeIfAbsent(point.name(), k -> current(point));
        }
        model.advance(at);
        return current(point);
    }

    /** What {@code point} shows for a model value in base units (Wh for a point in kWh): history is built with it. */
    public PointValue pointValue(Point point, double baseValue) {
        if (point.isBit()) {
            return new PointValue.Flag(baseValue != 0);
        }
        return new PointValue.Number(new BigDecimal(Double.toString(UnitConversion.toPointUnit(baseValue,
                point.unit()))));
    }

    private PointValue current(Point point) {
        String text = model.text(point.quantity());
        if (text != null) {
            return new PointValue.Text(text);
        }
        OptionalDouble v = model.value(point.quantity());
        return pointValue(point, v.orElse(0));
    }

    /** Pins a point to a value until {@link #unpin}; the value is in the point's units. */
    public synchronized void pin(String pointName, PointValue value) {
        if (profile.point(pointName).isEmpty()) {
            throw new IllegalArgumentException("profile " + profile.name() + " has no point '" + pointName + "'");
        }
        pinned.put(pointName, value);
    }

    public synchronized void unpin(String pointName) {
        pinned.remove(pointName);
    }

    /**
     * Stops (or restarts) the dynamics: every point keeps the value it shows first while frozen, until unfrozen or
     * pinned, so tests can compare exactly.
     */
    public synchronized void freeze(boolean freeze) {
        if (!freeze && frozen) {
            model.advance(clock.instant());
        }
        if (freeze && !frozen) {
            model.advance(clock.instant());
        }
        frozenValues.clear();
        this.frozen = freeze;
    }

    /**
     * A master writes a point.
     *
     * @return false when the point is read-only
     * @throws IllegalArgumentException when the model will not take the value (a setpoint out of its range)
     */
    public synchronized boolean write(Point point, PointValue value) {
        if (!frozen) {
            model.advance(clock.instant()); // the process ran on the old setpoint until now
        }
        double v = switch (value) {
            case PointValue.Number n -> UnitConversion.fromPointUnit(n.value().doubleValue(), point.unit());
            case PointValue.Flag f -> f.on() ? 1 : 0;
            default -> Double.NaN;
        };
        if (Double.isNaN(v) || !model.write(point.quantity(), v)) {
            return false;
        }
        pinned.remove(point.name());
        frozenValues.clear(); // a setpoint shows its new value even while frozen
        return true;
    }
}
