package io.edgegateway.contract;

import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;

import java.nio.file.Path;

/** The contract over Modbus TCP (MBAP frames). */
class ModbusTcpContractTest extends TransportContract {

    @Override
    Rig start(Path dir) throws Exception {
        SimulatedDevice device = ModbusRig.frozenDevice();
        ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(1, device).build().start();
        return new ModbusRig(new ModbusRig.Simulator() {
            @Override
            public Faults faults() {
                return sim.faults();
            }

            @Override
            public void restart() throws Exception {
                sim.restart();
            }

            @Override
            public void close() {
                sim.close();
            }
        }, device, LinkOptions.TCP, o -> client(sim.port(), o));
    }

    ModbusClient client(int port, LinkOptions options) {
        return ModbusClient.tcp("127.0.0.1", port, options);
    }
}
