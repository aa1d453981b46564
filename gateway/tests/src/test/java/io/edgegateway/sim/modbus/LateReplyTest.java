package io.edgegateway.sim.modbus;

import io.edgegateway.device.NoResponseException;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.point.Point;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.model.SimulatedDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.edgegateway.sim.modbus.Expectations.assertReadsMatch;
import static io.edgegateway.sim.modbus.Expectations.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On Modbus TCP a request that timed out leaves the connection open; its late answer is recognised by its
 * transaction id and dropped, never taken for a later request's. Against the simulator's own delay faults.
 */
class LateReplyTest {

    @TempDir
    Path tmp;

    private final DeviceProfile sdm = profile("sdm630");
    private static final LinkOptions ONE_SECOND = LinkOptions.TCP.withResponseTimeout(Duration.ofSeconds(1));

    @Test
    void aDeviceSlowOnlyOnTheFirstAnswerOfEachConnectionIsReadFromTheSecondPollOn() throws Exception {
        SimulatedDevice device = Rig.frozen(sdm, 3);
        try (Rig rig = Rig.start(Rig.Kind.TCP, Map.of(1, device), true, tmp, ONE_SECOND)) {
            rig.faults().set(1, FaultPlan.NONE.withFirstLate(Duration.ofMillis(1500)));
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            assertThrows(NoResponseException.class, () -> meter.read(sdm.points()), "the first answer is late");
            // Reconnecting on that timeout (as j2mod does) would make every poll a slow first one, forever.
            assertReadsMatch(device, sdm.points(), meter.read(sdm.points()));
            assertEquals(1, rig.link.stats().connects(), "the timed-out connection stayed open");
            assertEquals(1, rig.link.stats().lateRepliesDiscarded(), "the late first answer was recognised and dropped");
            assertReadsMatch(device, sdm.points(), meter.read(sdm.points()));
        }
    }

    @Test
    void aLateAnswerIsNeverTakenForTheNextRequestsAndRepeatedTimeoutsReconnect() throws Exception {
        SimulatedDevice device = Rig.frozen(sdm, 4);
        List<Point> voltages = sdm.points().subList(0, 3);
        List<Point> energy = sdm.points().stream().filter(p -> p.name().contains("energy")).toList();
        try (Rig rig = Rig.start(Rig.Kind.TCP, Map.of(1, device), true, tmp,
                LinkOptions.TCP.withResponseTimeout(Duration.ofMillis(300)))) {
            assertTrue(energy.size() > 3, "energy points: " + energy);
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            rig.faults().set(1, FaultPlan.delayed(Duration.ofMillis(450)));
            assertThrows(NoResponseException.class, () -> meter.read(voltages));
            rig.faults().clear(1);
            Thread.sleep(300); // the voltage answer has come meanwhile and waits in the socket
            // The next request reads it first: other registers, other transaction id.
            Map<Point, io.edgegateway.point.PointValue> got = meter.read(energy);
            assertReadsMatch(device, energy, got);
            assertTrue(rig.link.stats().lateRepliesDiscarded() >= 1, "the late voltage answer was dropped");
            assertEquals(1, rig.link.stats().connects());

            rig.faults().set(1, FaultPlan.silence());
            for (int i = 0; i < 3; i++) {
                assertThrows(NoResponseException.class, () -> meter.read(voltages));
            }
            rig.faults().clear(1);
            assertReadsMatch(device, voltages, meter.read(voltages));
            assertEquals(2, rig.link.stats().connects(), "three timeouts in a row: the device may have lost the "
                    + "connection's state, so it is opened again");
        }
    }
}
