package io.edgegateway.sim.model;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedDeviceTest {

    /** A clock the test moves by hand. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2025-12-15T18:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ProfileCatalog catalog = ProfileCatalog.shipped();

    private static double number(SimulatedDevice d, String point) {
        Point p = d.profile().point(point).orElseThrow();
        return ((PointValue.Number) d.value(p)).value().doubleValue();
    }

    @Test
    void meterValuesArePlausibleAndEnergyOnlyGrows() {
        StepClock clock = new StepClock();
        SimulatedDevice d = SimulatedDevice.of(catalog.find("sdm630").orElseThrow(), 7, clock);
        double v = number(d, "L1 Voltage");
        assertTrue(v > 220 && v < 240, "voltage near 230: " + v);
        double hz = number(d, "Frequency");
        assertTrue(hz > 49.9 && hz < 50.1, "frequency near 50: " + hz);
        double kwh = number(d, "Import active energy");
        double w = number(d, "Total Active Power");
        assertTrue(w > 0, "evening load draws power");

        clock.now = clock.now.plus(Duration.ofHours(1));
        double kwhLater = number(d, "Import active energy");
        double gained = kwhLater - kwh;
        assertTrue(gained > 0, "energy integrates power");
        assertTrue(gained > w / 1000 * 0.3 && gained < w / 1000 * 3, "an hour at ~" + w + " W adds ~kWh, got " + gained);
    }

    @Test
    void unitsFollowThePoint() {
        StepClock clock = new StepClock();
        // iEM3000 shows power in kW; SDM630 in W. The same model seed gives the same physics.
        SimulatedDevice iem = SimulatedDevice.of(catalog.find("iem3000").orElseThrow(), 3, clock);
        SimulatedDevice sdm = SimulatedDevice.of(catalog.find("sdm630").orElseThrow(), 3, clock);
        assertEquals(number(sdm, "Total Active Power") / 1000, number(iem, "Total Active Power"), 1e-6);
    }

    @Test
    void frozenAndPinnedValuesHold() {
        StepClock clock = new StepClock();
        SimulatedDevice d = SimulatedDevice.of(catalog.find("sdm120").orElseThrow(), 1, clock);
        d.freeze(true);
        double v = number(d, "L1 Voltage");
        clock.now = clock.now.plusSeconds(30);
        assertEquals(v, number(d, "L1 Voltage"));
        d.pin("L1 Voltage", new PointValue.Number(new BigDecimal("241.3")));
        assertEquals(241.3, number(d, "L1 Voltage"));
    }

    @Test
    void frozenMeansEveryPointHoldsEvenNoisyOnes() {
        SimulatedDevice d = SimulatedDevice.of(catalog.find("sdm630").orElseThrow(), 1, new StepClock());
        d.freeze(true);
        double thd = number(d, "L1 Voltage THD");
        for (int i = 0; i < 5; i++) {
            assertEquals(thd, number(d, "L1 Voltage THD"), "THD is drawn with noise on every look unless frozen");
        }
    }

    @Test
    void plcSetpointsChangeTheProcess() {
        StepClock clock = new StepClock();
        DeviceProfile plc = catalog.find("plc").orElseThrow();
        SimulatedDevice d = SimulatedDevice.of(plc, 5, clock);
        // OFF: the pump stops and the level falls.
        assertTrue(d.write(plc.point("Operating Mode").orElseThrow(), new PointValue.Number(BigDecimal.ZERO)));
        double before = number(d, "Tank Level");
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        double after = number(d, "Tank Level");
        assertTrue(after < before, "draining: " + before + " -> " + after);
        assertFalse(((PointValue.Flag) d.value(plc.point("Pump Running").orElseThrow())).on());

        // MANUAL with manual run: the pump runs and fills.
        d.write(plc.point("Operating Mode").orElseThrow(), new PointValue.Number(new BigDecimal("2")));
        d.write(plc.point("Manual Pump Run").orElseThrow(), new PointValue.Flag(true));
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertTrue(((PointValue.Flag) d.value(plc.point("Pump Running").orElseThrow())).on());
        assertTrue(number(d, "Tank Level") > after, "filling");
        assertFalse(d.write(plc.point("Tank Level").orElseThrow(), new PointValue.Number(BigDecimal.TEN)), "read-only");
    }
}
