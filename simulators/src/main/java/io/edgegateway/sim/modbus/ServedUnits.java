package io.edgegateway.sim.modbus;

import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.model.SimulatedDevice;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What a simulator serves, as its builder collects it: unit ids with their devices, strict addressing, a request
 * log, the fault switchboard. The TCP and serial simulators' builders extend it and add their transport.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ServedUnits<B extends ServedUnits<B>> {

    private final Map<Integer, SimulatedDevice> devices = new TreeMap<>();
    private final Faults faults = new Faults();
    private boolean strict;
    private Consumer<String> log;

    ServedUnits() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Serves {@code device} as unit {@code id} (1..247). */
    public B unit(int id, SimulatedDevice device) {
        if (id < 1 || id > 247) {
            throw new IllegalArgumentException("unit id must be 1..247, got " + id);
        }
        if (devices.putIfAbsent(id, device) != null) {
            throw new IllegalArgumentException("unit " + id + " is given twice");
        }
        return self();
    }

    /** Serves a live simulation of {@code profile} as unit {@code id}, seeded by the id for repeatable values. */
    public B unit(int id, DeviceProfile profile) {
        return unit(id, SimulatedDevice.of(profile, id, Clock.systemUTC()));
    }

    /** Registers no point covers answer exception 02 instead of reading as 0. */
    public B strict(boolean on) {
        this.strict = on;
        return self();
    }

    /** Receives one line per request (unit, function, range, outcome); for the command line's --log. */
    public B log(Consumer<String> sink) {
        this.log = sink;
        return self();
    }

    Faults faults() {
        return faults;
    }

    /**
     * @param bus true for RTU framings (see {@link ModbusResponder})
     * @throws IllegalArgumentException when no unit was added
     */
    ModbusResponder responder(boolean bus) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a simulator needs at least one unit");
        }
        Map<Integer, ModbusUnit> units = new TreeMap<>();
        devices.forEach((id, device) -> units.put(id, new ModbusUnit(id, device, strict)));
        return new ModbusResponder(units, faults, bus, log);
    }
}
