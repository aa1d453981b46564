package io.edgegateway.sim.model;

import io.edgegateway.profile.DeviceProfile;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * A simulated physical system. Values are in base units: V, A, Hz, W, VA, var, Wh, varh, degrees, %, m3/h,
 * bar, °C, hours, counts; states as 0/1 or enum ordinals.
 */
public sealed interface DeviceModel permits MeterModel, TankProcessModel {

    /** Moves the simulation forward to {@code now}; calls with an earlier time are ignored. */
    void advance(Instant now);

    /** Current value of a quantity (see the profiles' {@code quantity} tags), empty if this model has none. */
    OptionalDouble value(String quantity);

    /**
     * Accepts a write from a master (setpoints, commands).
     *
     * @return false when the quantity is read-only here
     */
    boolean write(String quantity, double value);

    /** Text quantities such as a station tag; null if none. */
    default String text(String quantity) {
        return null;
    }

    /** The model a profile's quantities ask for: the tank process for {@code plc.*}, otherwise a meter. */
    static DeviceModel forProfile(DeviceProfile profile, long seed, Instant start) {
        boolean plc = profile.points().stream().anyMatch(p -> p.quantity().startsWith("plc."));
        return plc ? new TankProcessModel(seed, start) : new MeterModel(seed, start);
    }
}
