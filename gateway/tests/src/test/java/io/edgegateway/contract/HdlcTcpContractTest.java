package io.edgegateway.contract;

import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.sim.dlms.DlmsSimulator;

import java.nio.file.Path;

/** The contract over DLMS HDLC frames on TCP. */
class HdlcTcpContractTest extends TransportContract {

    @Override
    Rig start(Path dir) throws Exception {
        DlmsSimulator sim = DlmsSimulator.builder().hdlcTcp().build().start();
        return new DlmsRig(sim, t -> DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).responseTimeout(t)
                .connectTimeout(t).build(), null);
    }
}
