package io.edgegateway.sim.modbus;

import io.edgegateway.device.DeviceException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.model.SimulatedDevice;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;

import static io.edgegateway.sim.modbus.Expectations.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The stale-reply trap (j2mod issue #165 and RTU's lack of transaction ids): request A times out, its late answer
 * arrives while request B is pending. B must never return A's data. A reads L1 voltage (pinned 111), B reads L2
 * voltage (pinned 222): same unit, same function, same length, so only the transport can tell them apart.
 */
class StaleReplyTest {

    @TempDir
    Path tmp;

    private Rig rig(Rig.Kind kind) throws Exception {
        DeviceProfile sdm = profile("sdm630");
        SimulatedDevice d = Rig.frozen(sdm, 1);
        d.pin("L1 Voltage", new PointValue.Number(new BigDecimal("111")));
        d.pin("L2 Voltage", new PointValue.Number(new BigDecimal("222")));
        return Rig.start(kind, Map.of(1, d), false, tmp);
    }

    private static float volts(RegisterBlock b) {
        return Float.intBitsToFloat((b.register(b.start()) << 16) | b.register(b.start() + 1));
    }

    /** The late answer to A arrives while B waits for its own, which comes right after. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Rig.Kind.class, names = {"TCP", "SERIAL", "RTU_OVER_TCP"})
    void lateAnswerIsNeverTakenForTheNextRequests(Rig.Kind kind) throws Exception {
        try (Rig rig = rig(kind)) {
            assertEquals(111f, volts(rig.link.read(1, Table.INPUT, 0, 2)), "A alone");
            assertEquals(222f, volts(rig.link.read(1, Table.INPUT, 2, 2)), "B alone");

            rig.faults().set(FaultPlan.delayed(Rig.TIMEOUT.plusMillis(150)));
            assertThrows(NoResponseException.class, () -> rig.link.read(1, Table.INPUT, 0, 2));
            rig.faults().clear();
            // B goes out while A's answer is still on its way.
            assertEquals(222f, volts(rig.link.read(1, Table.INPUT, 2, 2)), "B got its own answer");
            assertEquals(111f, volts(rig.link.read(1, Table.INPUT, 0, 2)));
        }
    }

    /** The device stays slow: every request times out, and none ever returns an earlier request's data. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Rig.Kind.class, names = {"TCP", "SERIAL", "RTU_OVER_TCP"})
    void aSlowDeviceNeverMixesUpAnswers(Rig.Kind kind) throws Exception {
        try (Rig rig = rig(kind)) {
            rig.faults().set(FaultPlan.delayed(Rig.TIMEOUT.plusMillis(100)));
            for (int i = 0; i < 4; i++) {
                int start = i % 2 == 0 ? 0 : 2;
                try {
                    float v = volts(rig.link.read(1, Table.INPUT, start, 2));
                    assertEquals(start == 0 ? 111f : 222f, v, "an answer, if any, is this request's");
                } catch (DeviceException e) {
                    assertInstanceOf(io.edgegateway.device.NoResponseException.class, e,
                            "every answer comes after the timeout: " + e);
                }
            }
            // Once the device is quick again, the late answers still in flight must not surface either.
            rig.faults().clear();
            assertEquals(222f, volts(rig.link.read(1, Table.INPUT, 2, 2)));
            assertEquals(111f, volts(rig.link.read(1, Table.INPUT, 0, 2)));
        }
    }
}
