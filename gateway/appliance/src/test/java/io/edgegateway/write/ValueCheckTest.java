package io.edgegateway.write;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.point.WriteRange;
import io.edgegateway.profile.ProfileCatalog;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueCheckTest {

    private final Point speed = ProfileCatalog.shipped().find("plc").orElseThrow().point("Pump Speed Setpoint")
            .orElseThrow();
    private final Point mode = ProfileCatalog.shipped().find("plc").orElseThrow().point("Operating Mode").orElseThrow();
    private final Point enable = ProfileCatalog.shipped().find("plc").orElseThrow().point("Pump Enable").orElseThrow();

    private static Point register(DataType type, Scaling scaling, WriteRange range) {
        return new Point("R", new ModbusAddress(Table.HOLDING, 0, type, WordOrder.ABCD, -1, 0), scaling, 1, "V",
                BigDecimal.ZERO, Map.of(), "", "", range);
    }

    private static WriteOutcome.Refused refused(Point p, JsonValue v) {
        return assertThrows(ValueCheck.Refusal.class, () -> ValueCheck.accept(p, v)).refused();
    }

    @Test
    void numbersLabelsAndBits() throws Exception {
        assertEquals(new PointValue.Number(new BigDecimal("55.5")), ValueCheck.accept(speed, Json.createValue(55.5)));
        assertEquals(new PointValue.Number(BigDecimal.valueOf(2)), ValueCheck.accept(mode, Json.createValue("manual")));
        assertEquals(new PointValue.Number(BigDecimal.ONE), ValueCheck.accept(mode, Json.createValue(1)));
        assertEquals(new PointValue.Flag(true), ValueCheck.accept(enable, JsonValue.TRUE));
        assertEquals(new PointValue.Flag(false), ValueCheck.accept(enable, Json.createValue(0)));
        assertEquals(new PointValue.Flag(true), ValueCheck.accept(enable, Json.createValue("ON")));
    }

    @Test
    void eachRefusalHasItsCode() {
        assertEquals("wrong-type", refused(speed, JsonValue.TRUE).code());
        assertEquals("wrong-type", refused(mode, Json.createValue("TURBO")).code());
        assertTrue(refused(mode, Json.createValue("TURBO")).message().contains("OFF (0), AUTO (1), MANUAL (2)"));
        assertEquals("wrong-type", refused(enable, Json.createValue(0.5)).code());
        assertEquals(400, refused(speed, Json.createValue(-1)).httpStatus());
        assertEquals("out-of-range", refused(speed, Json.createValue(100.5)).code());
        assertEquals("off-step", refused(speed, Json.createValue(10.25)).code());
        assertEquals(409, refused(ProfileCatalog.shipped().find("plc").orElseThrow().point("Tank Level")
                .orElseThrow(), Json.createValue(1)).httpStatus());
    }

    @Test
    void whatARegisterCannotHoldIsRefusedToo() throws Exception {
        // No step given: tenths are what the device keeps.
        Point tenths = register(DataType.UINT16, Scaling.powerOfTen(-1), WriteRange.ANY);
        assertEquals(new PointValue.Number(new BigDecimal("6553.5")), ValueCheck.accept(tenths,
                Json.createValue(new BigDecimal("6553.5"))));
        WriteOutcome.Refused r = refused(tenths, Json.createValue(new BigDecimal("12.34")));
        assertEquals("off-step", r.code());
        assertTrue(r.message().contains("steps of 0.1"), r.message());
        assertEquals("out-of-range", refused(tenths, Json.createValue(new BigDecimal("6553.6"))).code(),
                "65536 tenths do not fit uint16");
        assertEquals("out-of-range", refused(register(DataType.INT16, Scaling.NONE, WriteRange.ANY),
                Json.createValue(-32769)).code());
        // A float keeps what it keeps.
        ValueCheck.accept(register(DataType.FLOAT32, Scaling.NONE, WriteRange.ANY), Json.createValue(0.123));
    }

    @Test
    void aNumberWithTooManyDigitsIsRefusedBeforeAnyArithmetic() {
        // With a step and no max, 1E+100000000 would reach subtract/remainder and setScale(0) as a 40 MB integer.
        Point stepped = register(DataType.INT32, Scaling.powerOfTen(-1), new WriteRange(null, null, BigDecimal.ONE));
        for (String huge : new String[] {"1E+100000000", "-1E+2147483647", "1E-100000000",
                "1" + "0".repeat(40), "0." + "0".repeat(30) + "1"}) {
            WriteOutcome.Refused r = assertTimeoutPreemptively(Duration.ofSeconds(1),
                    () -> refused(stepped, Json.createValue(new BigDecimal(huge))), huge);
            assertEquals("out-of-range", r.code(), huge);
            assertTrue(r.message().contains("at most 40 digits before the decimal point and 30 after"), r.message());
        }
        assertEquals("out-of-range", refused(stepped, Json.createValue(new BigDecimal("1" + "0".repeat(39))))
                .code(), "40 digits pass the bound; the register's type refuses them");
    }

    @Test
    void aFloatRegisterTakesOnlyFiniteValues() throws Exception {
        Point f32 = register(DataType.FLOAT32, Scaling.NONE, WriteRange.ANY);
        WriteOutcome.Refused r = refused(f32, Json.createValue(new BigDecimal("1e39")));
        assertEquals("out-of-range", r.code());
        assertTrue(r.message().contains("float32"), r.message());
        assertEquals("out-of-range", refused(f32, Json.createValue(new BigDecimal("-1e39"))).code());
        ValueCheck.accept(f32, Json.createValue(new BigDecimal("3e38")));
        ValueCheck.accept(register(DataType.FLOAT64, Scaling.NONE, WriteRange.ANY),
                Json.createValue(new BigDecimal("1e39")));
    }

    @Test
    void commandLineValuesAreJson() {
        assertEquals(JsonValue.TRUE, ValueCheck.parse("true"));
        assertEquals(Json.createValue(new BigDecimal("55")), ValueCheck.parse(" 55 "));
        assertEquals(Json.createValue("AUTO"), ValueCheck.parse("AUTO"));
    }
}
