package io.edgegateway.contract;

import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.testing.VirtualSerialCable;

import java.nio.file.Path;

/** The contract over DLMS HDLC on a serial line (a socat pty pair). */
class HdlcPtyContractTest extends TransportContract {

    @Override
    Rig start(Path dir) throws Exception {
        VirtualSerialCable cable = new VirtualSerialCable(dir);
        DlmsSimulator sim = DlmsSimulator.builder().hdlcSerial(SerialSettings.of(cable.a(), 19200)).build().start();
        return new DlmsRig(sim, t -> DlmsSettings.builder().hdlcSerial(SerialSettings.of(cable.b(), 19200))
                .responseTimeout(t).connectTimeout(t).build(), cable);
    }
}
