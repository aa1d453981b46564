package io.edgegateway.sim.modbus;

import io.edgegateway.device.RejectedException;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.Reprobe;
import io.edgegateway.modbus.plan.ReadPlan;
import io.edgegateway.modbus.plan.ReadRequest;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.sim.model.SimulatedDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgegateway.sim.modbus.Expectations.assertReadsMatch;
import static io.edgegateway.sim.modbus.Expectations.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A strict device refuses reads that touch registers it does not implement (exception 02), as real meters do when
 * a plan bridges a gap. The meter re-plans on the spot, returns every value, and remembers the smaller plan.
 */
class AdaptivePlanTest {

    @TempDir
    Path tmp;

    private final DeviceProfile sdm = profile("sdm630");

    @Test
    void mergedReadsOverGapsAreSplitOnceAndTheSplitIsRemembered() throws Exception {
        SimulatedDevice device = Rig.frozen(sdm, 1);
        try (Rig rig = Rig.start(Rig.Kind.TCP, Map.of(1, device), true, tmp)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            ReadPlan planned = meter.plan(sdm.points());
            assertTrue(planned.requests().stream().anyMatch(AdaptivePlanTest::bridgesAGap),
                    "the profile's plan bridges gaps:\n" + planned.describe());

            long before = rig.requests(1);
            Map<Point, PointValue> first = meter.read(sdm.points());
            long firstCycle = rig.requests(1) - before;
            assertReadsMatch(device, sdm.points(), first);
            assertTrue(rig.stats().exceptions() > 0, "the device refused the merged reads");

            ReadPlan learned = meter.plan(sdm.points());
            assertTrue(learned.requests().size() > planned.requests().size(), learned.describe());
            assertTrue(learned.requests().stream().noneMatch(AdaptivePlanTest::bridgesAGap), learned.describe());
            assertEquals(sdm.points().size(), learned.pointCount());

            long exceptions = rig.stats().exceptions();
            before = rig.requests(1);
            Map<Point, PointValue> second = meter.read(sdm.points());
            assertEquals(learned.requests().size(), rig.requests(1) - before, "the next cycle uses the learned plan");
            assertTrue(rig.requests(1) - before < firstCycle, "and costs less than the first");
            assertEquals(exceptions, rig.stats().exceptions(), "without a single refusal");
            assertReadsMatch(device, sdm.points(), second);
            assertTrue(meter.unreadable().isEmpty());
        }
    }

    @Test
    void aPointTheDeviceRefusesAloneIsInvalidAndNotAskedForAgain() throws Exception {
        // The gateway's profile has a point the device (an SDM630 that lacks it) does not implement.
        Point bogus = new Point("Bogus Register", ModbusAddress.of(Table.INPUT, 0x0100, DataType.FLOAT32),
                null, 2, "V", null, null, "", "");
        List<Point> points = new ArrayList<>(sdm.points());
        points.add(bogus);
        SimulatedDevice device = Rig.frozen(sdm, 1);
        try (Rig rig = Rig.start(Rig.Kind.RTU_OVER_TCP, Map.of(1, device), true, tmp)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            Map<Point, PointValue> first = meter.read(points);
            PointValue.Invalid invalid = assertInstanceOf(PointValue.Invalid.class, first.get(bogus));
            assertTrue(invalid.reason().contains("device rejects address input 0x0100"), invalid.reason());
            assertTrue(invalid.reason().contains("exception 02 ILLEGAL DATA ADDRESS"), invalid.reason());
            assertReadsMatch(device, sdm.points(), first);
            assertEquals(List.of(bogus), List.copyOf(meter.unreadable().keySet()));

            long exceptions = rig.stats().exceptions();
            long before = rig.requests(1);
            Map<Point, PointValue> second = meter.read(points);
            assertInstanceOf(PointValue.Invalid.class, second.get(bogus));
            assertEquals(exceptions, rig.stats().exceptions(), "the refused address is not asked for again");
            assertEquals(meter.plan(points).requests().size(), rig.requests(1) - before);
            assertTrue(meter.plan(points).requests().stream().flatMap(r -> r.points().stream())
                    .noneMatch(bogus::equals));

            meter.forgetLearned();
            meter.read(points);
            assertTrue(rig.stats().exceptions() > exceptions, "after forgetLearned() it is tried again");
        }
    }

    @Test
    void whatADeviceRefusedIsAskedAgainAfterAWhile() throws Exception {
        // A meter that answers 02 while it boots, then has the register: not refused forever.
        Point late = new Point("Late Register", ModbusAddress.of(Table.INPUT, 0x0100, DataType.FLOAT32),
                null, 2, "V", null, null, "", "");
        List<Point> points = new ArrayList<>(sdm.points());
        points.add(late);
        try (Rig rig = Rig.start(Rig.Kind.RTU_OVER_TCP, Map.of(1, Rig.frozen(sdm, 1)), true, tmp)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits(), new Reprobe(Duration.ofMillis(300),
                    Duration.ofSeconds(15), Duration.ofSeconds(1)));
            meter.read(points);
            assertEquals(List.of(late), List.copyOf(meter.unreadable().keySet()));
            long exceptions = rig.stats().exceptions();
            meter.read(points);
            assertEquals(exceptions, rig.stats().exceptions(), "not asked again at once");
            Thread.sleep(400);
            meter.read(points);
            assertTrue(rig.stats().exceptions() > exceptions, "asked again once the period is over");
        }
    }

    @Test
    void aDeviceThatRefusedEverythingIsReprobedWithBackoffAndReturnsOnceFixed() throws Exception {
        // A PLC whose register map is being reconfigured: exception 02 for every address, then the map is back.
        SimulatedDevice device = Rig.frozen(sdm, 1);
        try (Rig rig = Rig.start(Rig.Kind.TCP, Map.of(1, device), true, tmp)) {
            rig.faults().set(1, io.edgegateway.sim.fault.FaultPlan.exception(2));
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits(), new Reprobe(Duration.ofMillis(200),
                    Duration.ofSeconds(60), Duration.ofMillis(800)));
            RejectedException first = org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class,
                    () -> meter.read(sdm.points()));
            assertTrue(first.getMessage().contains("address refused, re-probing every 1 s"), first.getMessage());
            assertTrue(meter.reprobeIn().isPresent());

            long asked = rig.requests(1);
            org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class, () -> meter.read(sdm.points()));
            assertEquals(asked, rig.requests(1), "within the period nothing is sent");

            Thread.sleep(250);
            org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class, () -> meter.read(sdm.points()));
            assertTrue(rig.requests(1) > asked, "re-probed once the period was over");
            long period = meter.reprobeIn().orElseThrow().toMillis();
            assertTrue(period > 200 && period <= 400, "still refused: the next period doubled, " + period + " ms");

            // While everything is refused the period stops at the shorter cap (800 ms here, 1 min by default).
            for (int i = 0; i < 4; i++) {
                Thread.sleep(meter.reprobeIn().orElseThrow().toMillis() + 30);
                org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class, () -> meter.read(sdm.points()));
            }
            period = meter.reprobeIn().orElseThrow().toMillis();
            assertTrue(period > 400 && period <= 800, "capped while everything is refused: " + period + " ms");

            rig.faults().clear(1); // reconfigured
            Thread.sleep(period + 50);
            assertReadsMatch(device, sdm.points(), meter.read(sdm.points()));
            assertTrue(meter.unreadable().isEmpty());
            assertTrue(meter.reprobeIn().isEmpty(), "nothing refused any more");
        }
    }

    @Test
    void aPermanentlyMissingPointBacksOffLongButANewRefusalIsAskedAgainSoon() throws Exception {
        Point missing = new Point("Missing Register", ModbusAddress.of(Table.INPUT, 0x0100, DataType.FLOAT32),
                null, 2, "V", null, null, "", "");
        List<Point> points = new ArrayList<>(sdm.points());
        points.add(missing);
        SimulatedDevice device = Rig.frozen(sdm, 1);
        try (Rig rig = Rig.start(Rig.Kind.TCP, Map.of(1, device), true, tmp)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits(), new Reprobe(Duration.ofMillis(100),
                    Duration.ofSeconds(60), Duration.ofMillis(200)));
            meter.read(points);
            for (int i = 0; i < 4; i++) {
                Thread.sleep(meter.reprobeIn().orElseThrow().toMillis() + 20);
                meter.read(points);
            }
            long grown = meter.reprobeIn().orElseThrow().toMillis();
            assertTrue(grown > 800, "one point missing for good: the period grows past the all-refused cap, " + grown);

            // Now the meter boots and refuses everything else for a moment: those are asked again soon.
            rig.faults().set(1, io.edgegateway.sim.fault.FaultPlan.exception(2));
            org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class, () -> meter.read(points));
            long now = meter.reprobeIn().orElseThrow().toMillis();
            assertTrue(now <= 200, "a new refusal starts over, capped while everything is refused: " + now + " ms");
            rig.faults().clear(1);
            Thread.sleep(now + 30);
            Map<Point, io.edgegateway.point.PointValue> back = meter.read(points);
            assertReadsMatch(device, sdm.points(), back);
            assertInstanceOf(io.edgegateway.point.PointValue.Invalid.class, back.get(missing));
        }
    }

    /** Whether a request spans registers that no point of it covers. */
    private static boolean bridgesAGap(ReadRequest r) {
        boolean[] covered = new boolean[r.count()];
        for (Point p : r.points()) {
            ModbusAddress a = (ModbusAddress) p.address();
            for (int i = a.address(); i <= a.end(); i++) {
                covered[i - r.start()] = true;
            }
        }
        for (boolean c : covered) {
            if (!c) {
                return true;
            }
        }
        return false;
    }
}
