package io.edgegateway.sim.modbus;

import io.edgegateway.device.RejectedException;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.plan.ReadPlan;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.sim.model.SimulatedDevice;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.edgegateway.sim.modbus.Expectations.assertReadsMatch;
import static io.edgegateway.sim.modbus.Expectations.number;
import static io.edgegateway.sim.modbus.Expectations.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver (ModbusMeter on ModbusClient, i.e. j2mod) reads and writes the simulator (our own stack) over each
 * framing: full shipped profiles, values compared exactly with the frozen simulated devices.
 */
class MeterReadTest {

    @TempDir
    Path tmp;

    private static final List<String> PROFILES = List.of("sdm630", "em24", "iem3000", "plc");

    @ParameterizedTest(name = "{0}")
    @EnumSource(Rig.Kind.class)
    void fullProfilesReadExactlyWhatTheDevicesHold(Rig.Kind kind) throws Exception {
        Map<Integer, SimulatedDevice> units = Map.of(
                1, Rig.frozen(profile("sdm630"), 1), 2, Rig.frozen(profile("em24"), 2),
                3, Rig.frozen(profile("iem3000"), 3), 4, Rig.frozen(profile("plc"), 4));
        try (Rig rig = Rig.start(kind, units, false, tmp)) {
            for (int unit = 1; unit <= 4; unit++) {
                DeviceProfile p = profile(PROFILES.get(unit - 1));
                ModbusMeter meter = new ModbusMeter(rig.link, unit, p.limits());
                ReadPlan plan = meter.plan(p.points());
                long before = rig.requests(unit);
                Map<Point, PointValue> read = meter.read(p.points());
                assertReadsMatch(rig.device(unit), p.points(), read);
                assertEquals(plan.requests().size(), rig.requests(unit) - before,
                        p.name() + " read in its planned " + plan.requests().size() + " requests");
            }
            // And the values make physical sense (not just the same garbage on both ends).
            DeviceProfile sdm = profile("sdm630");
            Map<Point, PointValue> read = new ModbusMeter(rig.link, 1, sdm.limits()).read(sdm.points());
            double volts = number(read, sdm, "L1 Voltage");
            assertTrue(volts > 220 && volts < 240, "L1 voltage " + volts);
            double hz = number(read, sdm, "Frequency");
            assertTrue(hz > 49.8 && hz < 50.2, "frequency " + hz);
        }
    }

    @org.junit.jupiter.api.Test
    void equalPointListsShareAPlanAndRepeatedPointsAreReadOnce() throws Exception {
        DeviceProfile sdm = profile("sdm630");
        try (Rig rig = Rig.start(Rig.Kind.TCP, Map.of(1, Rig.frozen(sdm, 1)), false, tmp)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 1, sdm.limits());
            meter.read(sdm.points());
            // The same points parsed again (a config reload): equal, not identical.
            List<Point> reparsed = io.edgegateway.profile.ProfileCatalog.shipped().find("sdm630").orElseThrow().points();
            Map<Point, PointValue> read = meter.read(reparsed);
            assertReadsMatch(rig.device(1), reparsed, read);
            assertEquals(reparsed.get(3), read.keySet().stream().skip(3).findFirst().orElseThrow(), "in the order asked");

            Point volts = sdm.point("L1 Voltage").orElseThrow();
            Point l2 = sdm.point("L2 Voltage").orElseThrow();
            long before = rig.requests(1);
            Map<Point, PointValue> twice = meter.read(List.of(volts, l2, volts));
            assertEquals(2, twice.size());
            assertReadsMatch(rig.device(1), List.of(volts, l2), twice);
            assertEquals(1, rig.requests(1) - before, "read once, in one request");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Rig.Kind.class)
    void setpointsAndCommandsReachThePlc(Rig.Kind kind) throws Exception {
        DeviceProfile plc = profile("plc");
        try (Rig rig = Rig.start(kind, Map.of(5, Rig.frozen(plc, 5)), false, tmp)) {
            ModbusMeter meter = new ModbusMeter(rig.link, 5, plc.limits());
            Point high = plc.point("Level High Setpoint").orElseThrow();
            Point enable = plc.point("Pump Enable").orElseThrow();
            Point mode = plc.point("Operating Mode").orElseThrow();
            meter.write(high, new PointValue.Number(new BigDecimal("72.5")));
            meter.write(enable, new PointValue.Flag(false));
            meter.write(mode, new PointValue.Number(BigDecimal.valueOf(2)));
            Map<Point, PointValue> read = meter.read(List.of(high, enable, mode));
            assertEquals(0, new BigDecimal("72.5").compareTo(((PointValue.Number) read.get(high)).value()));
            assertEquals(new PointValue.Flag(false), read.get(enable));
            assertEquals("MANUAL", mode.display(read.get(mode)));

            RejectedException e = assertThrows(RejectedException.class, () -> meter.write(
                    plc.point("Station Tag").orElseThrow(), new PointValue.Text("TANK-02")));
            assertEquals(2, e.code(), "a read-only holding register answers 02");
            assertThrows(IllegalArgumentException.class, () -> meter.write(plc.point("Tank Level").orElseThrow(),
                    new PointValue.Number(BigDecimal.TEN)), "input registers cannot be written");
        }
    }
}
