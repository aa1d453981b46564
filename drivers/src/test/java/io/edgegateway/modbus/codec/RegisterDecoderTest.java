package io.edgegateway.modbus.codec;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.profile.ProfileCatalog;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Decoding against fixed byte vectors: the Modbus Application Protocol Specification V1.1b3 examples,
 * IEEE 754 encodings as meter manuals print them, and the four byte orders of one value.
 */
class RegisterDecoderTest {

    private static final HexFormat HEX = HexFormat.of();

    private static PointValue decode(ModbusAddress a, String wireHex) {
        return RegisterDecoder.decodeRegisters(a, HEX.parseHex(wireHex.replace(" ", "")));
    }

    private static BigDecimal number(PointValue v) {
        return assertInstanceOf(PointValue.Number.class, v).value();
    }

    private static ModbusAddress addr(DataType t, WordOrder o) {
        return new ModbusAddress(Table.HOLDING, 0, t, o, -1, 0);
    }

    @Test
    void modbusSpecReadHoldingRegistersExample() {
        // Spec 6.3: read registers 108..110, response data 02 2B 00 00 00 64 -> 555, 0, 100.
        RegisterBlock block = new RegisterBlock(Table.HOLDING, 107, 3, HEX.parseHex("022B00000064"));
        Point r108 = Point.of("r108", ModbusAddress.of(Table.HOLDING, 107, DataType.UINT16), "");
        Point r110 = Point.of("r110", ModbusAddress.of(Table.HOLDING, 109, DataType.UINT16), "");
        assertEquals(new BigDecimal("555"), number(RegisterDecoder.decode(r108, block)));
        assertEquals(new BigDecimal("100"), number(RegisterDecoder.decode(r110, block)));
    }

    @Test
    void modbusSpecReadInputRegisterExample() {
        // Spec 6.4: read input register 9, response data 00 0A -> 10.
        RegisterBlock block = new RegisterBlock(Table.INPUT, 8, 1, HEX.parseHex("000A"));
        Point r9 = Point.of("r9", ModbusAddress.of(Table.INPUT, 8, DataType.INT16), "");
        assertEquals(BigDecimal.TEN, number(RegisterDecoder.decode(r9, block)));
    }

    @Test
    void float32InAllFourByteOrders() {
        // 230.5 = 0x43668000 (IEEE 754 single).
        assertEquals(new BigDecimal("230.5"), number(decode(addr(DataType.FLOAT32, WordOrder.ABCD), "43 66 80 00")));
        assertEquals(new BigDecimal("230.5"), number(decode(addr(DataType.FLOAT32, WordOrder.CDAB), "80 00 43 66")));
        assertEquals(new BigDecimal("230.5"), number(decode(addr(DataType.FLOAT32, WordOrder.BADC), "66 43 00 80")));
        assertEquals(new BigDecimal("230.5"), number(decode(addr(DataType.FLOAT32, WordOrder.DCBA), "00 80 66 43")));
    }

    @Test
    void eastronFloatsAsTheManualEncodesThem() {
        // Eastron: 50 Hz = 0x42480000, 1456.78 kWh = 0x44B618F6 (nearest float), -0.95 PF = 0xBF733333.
        ModbusAddress f = addr(DataType.FLOAT32, WordOrder.ABCD);
        assertEquals(new BigDecimal("50.0"), number(decode(f, "4248 0000")));
        assertEquals(new BigDecimal("1456.78"), number(decode(f, "44B6 18F6")));
        assertEquals(new BigDecimal("-0.95"), number(decode(f, "BF73 3333")));
    }

    @Test
    void carloGavazziInt32LowWordFirstScaled() {
        // EM24: 230.5 V sent as INT32 2305 = 0x00000901, low word first: 09 01 00 00.
        Point v = new Point("L1 Voltage", new ModbusAddress(Table.INPUT, 0, DataType.INT32, WordOrder.CDAB, -1, 0),
                Scaling.powerOfTen(-1), 1, "V", BigDecimal.ZERO, Map.of(), "", "");
        RegisterBlock block = new RegisterBlock(Table.INPUT, 0, 2, HEX.parseHex("09010000"));
        PointValue value = RegisterDecoder.decode(v, block);
        assertEquals("230.5 V", v.display(value));
        // -1.5 kW export as INT32 -15 (tenths of W... here raw) = 0xFFFFFFF1 -> F1FF FFFF? no: words FFFF FFF1 swapped.
        assertEquals(new BigDecimal("-15"), number(decode(addr(DataType.INT32, WordOrder.CDAB), "FFF1 FFFF")));
    }

    @Test
    void schneiderInt64EnergyInWh() {
        // iEM3000 register 3204: INT64 Wh. 1,456,780 Wh = 0x0000_0000_0016_3A8C.
        Point e = new Point("Import active energy", new ModbusAddress(Table.HOLDING, 3203, DataType.INT64, WordOrder.ABCD, -1, 0),
                Scaling.powerOfTen(-3), 3, "kWh", BigDecimal.ZERO, Map.of(), "", "");
        RegisterBlock block = new RegisterBlock(Table.HOLDING, 3203, 4, HEX.parseHex("0000 0000 0016 3A8C".replace(" ", "")));
        assertEquals("1456.780 kWh", e.display(RegisterDecoder.decode(e, block)));
    }

    @Test
    void integerEdgesAndSigns() {
        assertEquals(new BigDecimal("-100"), number(decode(addr(DataType.INT16, WordOrder.ABCD), "FF9C")));
        assertEquals(new BigDecimal("65436"), number(decode(addr(DataType.UINT16, WordOrder.ABCD), "FF9C")));
        assertEquals(new BigDecimal("4294967295"), number(decode(addr(DataType.UINT32, WordOrder.ABCD), "FFFF FFFF")));
        assertEquals(new BigDecimal("-1"), number(decode(addr(DataType.INT32, WordOrder.DCBA), "FFFF FFFF")));
        assertEquals(new BigDecimal("18446744073709551615"),
                number(decode(addr(DataType.UINT64, WordOrder.ABCD), "FFFF FFFF FFFF FFFF")));
        // 0x0102030405060708 with words reversed on the wire (CDAB generalised to four words).
        assertEquals(new BigDecimal("72623859790382856"),
                number(decode(addr(DataType.INT64, WordOrder.CDAB), "0708 0506 0304 0102")));
        assertEquals(new BigDecimal("72623859790382856"),
                number(decode(addr(DataType.INT64, WordOrder.DCBA), "0807 0605 0403 0201")));
        // float64 50.0 = 0x4049000000000000
        assertEquals(new BigDecimal("50.0"), number(decode(addr(DataType.FLOAT64, WordOrder.ABCD), "4049 0000 0000 0000")));
    }

    @Test
    void nanIsInvalidNotANumber() {
        assertInstanceOf(PointValue.Invalid.class, decode(addr(DataType.FLOAT32, WordOrder.ABCD), "7FC0 0000"));
        assertInstanceOf(PointValue.Invalid.class, decode(addr(DataType.FLOAT32, WordOrder.ABCD), "7F80 0000"));
    }

    @Test
    void bitsInsideARegisterAndInBitTables() {
        // 0x0009: bits 0 and 3 set.
        ModbusAddress b0 = new ModbusAddress(Table.INPUT, 11, DataType.BOOL, WordOrder.ABCD, 0, 0);
        ModbusAddress b1 = new ModbusAddress(Table.INPUT, 11, DataType.BOOL, WordOrder.ABCD, 1, 0);
        ModbusAddress b3 = new ModbusAddress(Table.INPUT, 11, DataType.BOOL, WordOrder.ABCD, 3, 0);
        assertEquals(new PointValue.Flag(true), decode(b0, "0009"));
        assertEquals(new PointValue.Flag(false), decode(b1, "0009"));
        assertEquals(new PointValue.Flag(true), decode(b3, "0009"));

        RegisterBlock coils = new RegisterBlock(Table.COIL, 20, 3, new byte[] {1, 0, 1});
        Point c22 = Point.of("c22", ModbusAddress.of(Table.COIL, 22, DataType.BOOL), "");
        assertEquals(new PointValue.Flag(true), RegisterDecoder.decode(c22, coils));
    }

    @Test
    void stringsTrimPaddingAndHonourByteSwap() {
        ModbusAddress s = new ModbusAddress(Table.HOLDING, 10, DataType.STRING, WordOrder.ABCD, -1, 4);
        assertEquals(new PointValue.Text("SDM630"), decode(s, "53444D363330 0000".replace(" ", "")));
        ModbusAddress swapped = new ModbusAddress(Table.HOLDING, 10, DataType.STRING, WordOrder.BADC, -1, 3);
        assertEquals(new PointValue.Text("SDM630"), decode(swapped, "4453364D3033"));
    }

    @Test
    void encoderIsTheInverseForEveryShippedPoint() {
        // Round trip through every point of every shipped profile with a value of the point's own shape.
        for (var profile : ProfileCatalog.shipped().all()) {
            for (Point p : profile.points()) {
                if (!(p.address() instanceof ModbusAddress a)) {
                    continue;
                }
                PointValue value = switch (a.type()) {
                    case BOOL -> new PointValue.Flag(true);
                    case STRING -> new PointValue.Text("PUMP-01");
                    default -> new PointValue.Number(p.scaling().apply(new BigDecimal(a.type().signed() ? "-123" : "123")));
                };
                byte[] wire = RegisterEncoder.encode(p, value);
                PointValue back = RegisterDecoder.decode(p,
                        new RegisterBlock(a.table(), a.address(), a.size(), wire));
                assertEquals(p.display(value), p.display(back), profile.name() + " / " + p.name());
            }
        }
    }

    @Test
    void encoderWritesTheManualVectors() {
        Point v = new Point("L1 Voltage", new ModbusAddress(Table.INPUT, 0, DataType.INT32, WordOrder.CDAB, -1, 0),
                Scaling.powerOfTen(-1), 1, "V", BigDecimal.ZERO, Map.of(), "", "");
        assertEquals("09010000", HEX.formatHex(RegisterEncoder.encode(v, new PointValue.Number(new BigDecimal("230.5")))));
        Point f = Point.of("f", addr(DataType.FLOAT32, WordOrder.ABCD), "V");
        assertEquals("43668000", HEX.formatHex(RegisterEncoder.encode(f, new PointValue.Number(new BigDecimal("230.5")))));
    }
}
