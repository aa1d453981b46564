package io.edgegateway.contract;

import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.sim.dlms.DlmsSimulator;

import java.nio.file.Path;

/** The contract over the DLMS TCP wrapper (IEC 62056-47). */
class DlmsWrapperContractTest extends TransportContract {

    @Override
    Rig start(Path dir) throws Exception {
        DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().build().start();
        return new DlmsRig(sim, t -> DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).responseTimeout(t)
                .connectTimeout(t).build(), null);
    }
}
