package io.edgegateway.sim.modbus;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.fault.Faults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.edgegateway.sim.modbus.Expectations.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Injected faults surface as the right DeviceException, promptly, and the link recovers. */
class FaultTest {

    @TempDir
    Path tmp;

    private final DeviceProfile sdm = profile("sdm630");

    private Rig rig(Rig.Kind kind) throws Exception {
        return Rig.start(kind, Map.of(1, Rig.frozen(sdm, 1)), false, tmp);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Rig.Kind.class)
    void silenceIsNoResponseWithinTheTimeout(Rig.Kind kind) throws Exception {
        try (Rig rig = rig(kind)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            rig.faults().set(FaultPlan.silence());
            long t0 = System.nanoTime();
            assertThrows(NoResponseException.class, () -> meter.read(sdm.points()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // One request, one 300 ms timeout: a dead meter gives up after its first request, not after all four
            // (and not after j2mod's default 5 x 3 s).
            assertTrue(ms < 1500, "gave up after " + ms + " ms");
            assertEquals(1, rig.requests(1), "the other requests of the cycle were not sent");
            rig.faults().clear();
            assertEquals(sdm.points().size(), meter.read(sdm.points()).size());
        }
    }

    @Test
    void deadSimulatorIsLinkDownAndARestartOnTheSamePortRecovers() throws Exception {
        try (Rig rig = rig(Rig.Kind.TCP)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            meter.read(sdm.points());
            rig.faults().set(FaultPlan.silence());
            assertThrows(NoResponseException.class, () -> meter.read(sdm.points()));
            rig.tcp().stop();
            LinkDownException down = assertThrows(LinkDownException.class, () -> meter.read(sdm.points()));
            assertTrue(down.getMessage().contains("refused"), down.getMessage());
            rig.faults().clear();
            rig.tcp().restart();
            assertEquals(sdm.points().size(), meter.read(sdm.points()).size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Rig.Kind.class)
    void exceptionCodesAreRejectedWithTheCode(Rig.Kind kind) throws Exception {
        try (Rig rig = rig(kind)) {
            rig.faults().set(FaultPlan.exception(4));
            RejectedException e = assertThrows(RejectedException.class, () -> rig.link.read(1, Table.INPUT, 0, 2));
            assertEquals(4, e.code());
            assertTrue(e.getMessage().contains("exception 04 SERVER DEVICE FAILURE"), e.getMessage());
            assertFalse(e.silent(), "a refusal shows as ERROR, not DISCONNECTED");

            // A meter whose every request is refused has nothing to show: the refusal is thrown.
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            assertEquals(4, assertThrows(RejectedException.class, () -> meter.read(sdm.points())).code());

            // Busy now and then: the cycle still delivers the rest, the refused request's points are Invalid.
            rig.faults().set(FaultPlan.NONE.withException(6, 2));
            Map<Point, PointValue> read = meter.read(sdm.points());
            long invalid = read.values().stream().filter(v -> v instanceof PointValue.Invalid).count();
            assertTrue(invalid > 0 && invalid < sdm.points().size(), invalid + " invalid");
            assertTrue(meter.unreadable().isEmpty(), "busy is not remembered as an unreadable address");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Rig.Kind.class, names = {"RTU_OVER_TCP", "SERIAL"})
    void corruptCrcIsBadResponseAndTheNextCleanAnswerIsRead(Rig.Kind kind) throws Exception {
        try (Rig rig = rig(kind)) {
            rig.faults().set(FaultPlan.NONE.withCorruptCrc(1));
            BadResponseException e = assertThrows(BadResponseException.class, () -> rig.link.read(1, Table.INPUT, 0, 2));
            assertTrue(e.getMessage().contains("CRC"), e.getMessage());
            assertFalse(e.silent());
            rig.faults().clear();
            assertEquals(2, rig.link.read(1, Table.INPUT, 0, 2).count());
        }
    }

    @Test
    void droppedConnectionsAreReopened() throws Exception {
        try (Rig rig = rig(Rig.Kind.TCP)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            rig.faults().set(FaultPlan.NONE.withDropEvery(3));
            for (int i = 0; i < 5; i++) {
                assertEquals(sdm.points().size(), meter.read(sdm.points()).size(), "cycle " + i);
            }
            rig.faults().clear();
            rig.tcp().dropConnections();
            meter.read(sdm.points());
            assertTrue(rig.stats().connections() >= 5, rig.stats().connections() + " connections");
            assertTrue(rig.stats().dropped() >= 5, rig.stats().dropped() + " dropped");
        }
    }

    @Test
    void flappingAlternatesAnsweringAndSilentPeriods() throws Exception {
        Faults f = new Faults();
        f.set(FaultPlan.NONE.withFlap(Duration.ofMillis(100), Duration.ofMillis(100)));
        int silent = 0;
        int answering = 0;
        long end = System.nanoTime() + Duration.ofMillis(600).toNanos();
        while (System.nanoTime() < end) {
            if (f.decide(1, false).silent()) {
                silent++;
            } else {
                answering++;
            }
            Thread.sleep(10);
        }
        assertTrue(silent > 5 && answering > 5, silent + " silent, " + answering + " answering");
        assertInstanceOf(Faults.Decision.class, f.decide(1, false));
    }
}
