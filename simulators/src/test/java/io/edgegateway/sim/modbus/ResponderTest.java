package io.edgegateway.sim.modbus;

import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.model.SimulatedDevice;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static io.edgegateway.sim.modbus.Hex.bytes;
import static io.edgegateway.sim.modbus.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** How a simulated unit answers PDUs: rendering, strict mode, write rules, unit id rules, faults. No sockets. */
class ResponderTest {

    private static final ProfileCatalog CATALOG = ProfileCatalog.shipped();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-12-15T12:00:00Z"), ZoneOffset.UTC);

    private final DeviceProfile plcProfile = CATALOG.find("plc").orElseThrow();
    private final SimulatedDevice plc = SimulatedDevice.of(plcProfile, 2, CLOCK);
    private final SimulatedDevice meter = SimulatedDevice.of(CATALOG.find("sdm630").orElseThrow(), 1, CLOCK);
    private final Faults faults = new Faults();

    private ModbusResponder responder(boolean bus, boolean strict) {
        return new ModbusResponder(Map.of(1, new ModbusUnit(1, meter, strict), 2, new ModbusUnit(2, plc, strict)),
                faults, bus, null);
    }

    private static String reply(Answer a) {
        return hex(assertInstanceOf(Answer.Reply.class, a).pdu());
    }

    @Test
    void boolsSharingARegisterAreOredTogether() {
        plc.pin("Level Sensor OK", new PointValue.Flag(true));
        plc.pin("Cabinet Door Open", new PointValue.Flag(true));
        assertEquals("04 02 00 09", reply(responder(false, false).answer(2, bytes("04 00 0B 00 01"), false)), "bits 0 and 3");
    }

    @Test
    void gapsReadAsZeroUnlessStrict() {
        // sdm630 has nothing at 0x002C..0x002D (between average L-N voltage and average current).
        meter.pin("Average Line to Neutral Voltage", new PointValue.Number(new BigDecimal("230.5")));
        assertEquals("04 06 43 66 80 00 00 00", reply(responder(false, false).answer(1, bytes("04 00 2A 00 03"), false)),
                "230.5 = 0x43668000, then zero");
        assertEquals("84 02", reply(responder(false, true).answer(1, bytes("04 00 2A 00 03"), false)));
        assertEquals("04 04 43 66 80 00", reply(responder(false, true).answer(1, bytes("04 00 2A 00 02"), false)));
    }

    @Test
    void writesReachTheDeviceWithTheDocumentedRefusals() {
        ModbusResponder r = responder(false, false);
        // Level High Setpoint, holding 0, uint16 x0.1: 700 -> 70.0 %
        assertEquals("06 00 00 02 BC", reply(r.answer(2, bytes("06 00 00 02 BC"), false)));
        assertEquals(0, new BigDecimal("70.0").compareTo(
                ((PointValue.Number) plc.value(plcProfile.point("Level High Setpoint").orElseThrow())).value()));
        assertEquals("86 02", reply(r.answer(2, bytes("06 00 05 00 01"), false)), "nothing at holding 5");
        assertEquals("86 03", reply(r.answer(2, bytes("06 00 0A 41 42"), false)), "one register of an 8-register tag");
        assertEquals("90 02", reply(r.answer(2, bytes("10 00 0A 00 08 10 41 42 43 44 45 46 47 48 00 00 00 00 00 00 00 00"), false)),
                "the station tag is read-only");
        assertEquals("05 00 00 00 00", reply(r.answer(2, bytes("05 00 00 00 00"), false)), "pump enable off");
        assertEquals(new PointValue.Flag(false), plc.value(plcProfile.point("Pump Enable").orElseThrow()));
        assertEquals("85 02", reply(r.answer(2, bytes("05 00 07 FF 00"), false)), "no coil 7");
        assertEquals("86 02", reply(r.answer(1, bytes("06 00 00 00 01"), false)), "a meter has no holding registers here");
    }

    @Test
    void unknownUnitsAreSilentOnABusAndGatewayErrorsOnTcp() {
        assertSame(Answer.SILENCE, responder(true, false).answer(9, bytes("03 00 00 00 01"), false));
        assertEquals("83 0B", reply(responder(false, false).answer(9, bytes("03 00 00 00 01"), false)));
    }

    @Test
    void broadcastWritesReachEveryUnitAndGetNoAnswer() {
        assertSame(Answer.SILENCE, responder(true, false).answer(0, bytes("06 00 03 00 00"), false));
        assertEquals(new PointValue.Number(BigDecimal.ZERO).value().intValue(),
                ((PointValue.Number) plc.value(plcProfile.point("Operating Mode").orElseThrow())).value().intValue(),
                "mode OFF");
    }

    @Test
    void faultsDecideTheAnswer() {
        ModbusResponder r = responder(false, false);
        faults.set(1, FaultPlan.NONE.withException(6, 2));
        assertEquals("04 04", reply(r.answer(1, bytes("04 00 00 00 02"), false)).substring(0, 5));
        assertEquals("84 06", reply(r.answer(1, bytes("04 00 00 00 02"), false)), "every 2nd request: busy");
        assertEquals("03 02", reply(r.answer(2, bytes("03 00 00 00 01"), false)).substring(0, 5), "other units unaffected");
        faults.set(FaultPlan.silence());
        assertSame(Answer.SILENCE, r.answer(2, bytes("03 00 00 00 01"), false));
        faults.clear();
        faults.set(FaultPlan.NONE.withDropEvery(2));
        assertInstanceOf(Answer.Reply.class, r.answer(2, bytes("03 00 00 00 01"), false));
        assertSame(Answer.DROP, r.answer(2, bytes("03 00 00 00 01"), false));
        assertEquals(6, r.stats(0, 0).requests());
    }

    @Test
    void faultSpecsParseAsWrittenOnTheCommandLine() {
        assertEquals(FaultPlan.silence(), FaultPlan.parse("silent"));
        assertEquals(java.time.Duration.ofMillis(1500), FaultPlan.parse("delay=1500ms").delay());
        assertEquals(FaultPlan.NONE.withException(0x0B, 5), FaultPlan.parse("exception=0x0B,every=5"));
        assertEquals(0.2, FaultPlan.parse("corrupt-crc=0.2").corruptCrc());
        assertEquals(50, FaultPlan.parse("drop-every=50").dropEvery());
        assertEquals(java.time.Duration.ofSeconds(5), FaultPlan.parse("flap=10s/5s").flapSilent());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("slow"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("exception=300"));
    }
}
