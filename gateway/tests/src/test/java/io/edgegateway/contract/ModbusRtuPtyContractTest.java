package io.edgegateway.contract;

import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusRtuSimulator;
import io.edgegateway.testing.VirtualSerialCable;

import java.nio.file.Path;

/** The contract over Modbus RTU on a serial line (a socat pty pair). */
class ModbusRtuPtyContractTest extends TransportContract {

    @Override
    Rig start(Path dir) throws Exception {
        VirtualSerialCable cable = new VirtualSerialCable(dir);
        SimulatedDevice device = ModbusRig.frozenDevice();
        ModbusRtuSimulator sim = ModbusRtuSimulator.builder(SerialSettings.of(cable.a(), 19200)).unit(1, device)
                .build().start();
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
                cable.close();
            }
        }, device, LinkOptions.SERIAL, o -> ModbusClient.serial(SerialSettings.of(cable.b(), 19200), o));
    }
}
