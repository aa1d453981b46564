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
 * log, the fault switchboard. The TCP and serial simulators differ in transport only; this is the rest.
 */
final class ServedUnits {

    private final Map<Integer, SimulatedDevice> devices = new TreeMap<>();
    private final Faults faults = new Faults();
    private boolean strict;
    private Consumer<String> log;

    void add(int id, SimulatedDevice device) {
        if (id < 1 || id > 247) {
            throw new IllegalArgumentException("unit id must be 1..247, got " + id);
        }
        if (devices.putIfAbsent(id, device) != null) {
            throw new IllegalArgumentException("unit " + id + " is given twice");
        }
    }

    /** A live simulation of {@code profile}, seeded by the unit id for repeatable values. */
    void add(int id, DeviceProfile profile) {
        add(id, SimulatedDevice.of(profile, id, Clock.systemUTC()));
    }

    void strict(boolean on) {
        this.strict = on;
    }

    void log(Consumer<String> sink) {
        this.log = sink;
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
