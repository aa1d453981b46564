package io.edgegateway.bench.soak;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.sim.model.SimulatedDevice;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In epoch k every numeric point of meter i (of n) is pinned to 100 + k·n + i, and k moves on at a fixed period. A
 * published value is right only if it is meter i's integer of the epoch its reading was taken in or of the one
 * before (an answer taken just before the switch): a garbled, shifted, stale or other meter's value fails.
 * Integers of a few thousand survive float32, every DLMS scaler and every rounding exactly.
 */
final class PinnedValues {

    private final List<SimulatedDevice> devices;
    private final List<Instant> epochStarts = new CopyOnWriteArrayList<>();

    PinnedValues(List<SimulatedDevice> devices) {
        this.devices = List.copyOf(devices);
    }

    /** Pins the next epoch's value on every device; returns it. */
    synchronized int advance(Instant now) {
        int k = epochStarts.size();
        for (int i = 0; i < devices.size(); i++) {
            SimulatedDevice d = devices.get(i);
            BigDecimal v = BigDecimal.valueOf(value(k, i));
            for (Point p : d.profile().points()) {
                if (d.value(p) instanceof PointValue.Number) {
                    d.pin(p.name(), new PointValue.Number(v));
                }
            }
        }
        epochStarts.add(now);
        return k;
    }

    private long value(int epoch, int device) {
        return 100L + (long) epoch * devices.size() + device;
    }

    /** Null if {@code value}, read from meter {@code device} in a reading taken at {@code at}, is one it held then. */
    String check(int device, BigDecimal value, Instant at) {
        int epoch = epochAt(at);
        BigDecimal whole;
        try {
            whole = new BigDecimal(value.toBigIntegerExact());
        } catch (ArithmeticException e) {
            return value + " is not a pinned value (not an integer)";
        }
        for (int k = Math.max(0, epoch - 1); k <= epoch; k++) {
            if (whole.longValue() == value(k, device)) {
                return null;
            }
        }
        long v = whole.longValue() - 100;
        return value + " at " + at + " is meter " + (v % devices.size()) + "'s value of epoch " + (v / devices.size())
                + "; expected meter " + device + ", epoch " + epoch + " or " + (epoch - 1);
    }

    private int epochAt(Instant at) {
        List<Instant> starts = new ArrayList<>(epochStarts);
        int e = 0;
        for (int i = 0; i < starts.size(); i++) {
            // Simulator and gateway clocks are the same machine's; a few ms either side of a switch count as both.
            if (!starts.get(i).isAfter(at.plus(Duration.ofMillis(50)))) {
                e = i;
            }
        }
        return e;
    }
}
