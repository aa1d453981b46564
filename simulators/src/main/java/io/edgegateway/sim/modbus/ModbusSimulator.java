package io.edgegateway.sim.modbus;

import io.edgegateway.sim.server.Serving;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.model.SimulatedDevice;

import java.util.Set;

/**
 * What every Modbus simulator offers whatever it listens on: the units it serves, their simulated devices, the live
 * fault switchboard and the request counters. {@link ModbusTcpSimulator} adds a TCP port, {@link ModbusRtuSimulator}
 * a serial line.
 */
public abstract sealed class ModbusSimulator implements Serving permits ModbusTcpSimulator, ModbusRtuSimulator {

    final Faults faults;
    final ModbusResponder responder;
    final ReplyWire replies = new ReplyWire();

    /** @param bus true for RTU framings (see {@link ModbusResponder}) */
    ModbusSimulator(ServedUnits<?> units, boolean bus) {
        this.faults = units.faults();
        this.responder = units.responder(bus);
    }

    /** "modbus-tcp 127.0.0.1:5020", "rtu-over-tcp 0.0.0.0:4001", "rtu /dev/ttyUSB0 9600 8N1". */
    public abstract String describe();

    /** What receives the requests: a TCP listener or a serial line. */
    abstract Serving listener();

    @Override
    public boolean running() {
        return listener().running();
    }

    /** Stops serving; {@code start()} again resumes with the same units, faults and counters. */
    @Override
    public void stop() {
        listener().stop();
    }

    public abstract SimulatorStats stats();

    public Set<Integer> unitIds() {
        return responder.unitIds();
    }

    /** The simulated device behind {@code unit}: freeze it, pin values, read what a master wrote. */
    public SimulatedDevice device(int unit) {
        return responder.device(unit);
    }

    /** "input 0x0000-0x015F": where {@code unit} has points. */
    public String describeRanges(int unit) {
        return responder.units().get(unit).describeRanges();
    }

    /** The live fault switchboard of this simulator. */
    public Faults faults() {
        return faults;
    }

    /** Requests received, for every unit. */
    public long requestCount() {
        return stats().requests();
    }

    /** Requests received for {@code unit}. */
    public long requestCount(int unit) {
        return responder.requests(unit);
    }
}
