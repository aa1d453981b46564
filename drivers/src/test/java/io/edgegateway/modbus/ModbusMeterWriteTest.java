package io.edgegateway.modbus;

import io.edgegateway.device.RejectedException;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.point.WriteRange;
import io.edgegateway.profile.RequestLimits;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static io.edgegateway.modbus.ScriptedDevice.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A point's value into the write request a device receives: function by table and type (05 a coil, 06 one
 * register, 16 a longer type), the value unscaled and ordered as a read decodes it. The byte vectors are the Modbus
 * Application Protocol specification's own examples (v1.1b3, 6.5, 6.6, 6.12) where a point makes them, and worked
 * by hand from IEEE 754 and the word orders elsewhere.
 */
class ModbusMeterWriteTest {

    private static final LinkOptions FAST = LinkOptions.TCP.withResponseTimeout(Duration.ofMillis(500))
            .withConnectTimeout(Duration.ofMillis(500));

    private static Point point(Table table, int address, DataType type, WordOrder order, int bit, Scaling scaling) {
        return new Point("P", new ModbusAddress(table, address, type, order, bit, 0), scaling, 1, "", BigDecimal.ZERO,
                Map.of(), "", "", WriteRange.ANY);
    }

    private static Point register(int address, DataType type, WordOrder order) {
        return point(Table.HOLDING, address, type, order, -1, Scaling.NONE);
    }

    /** Writes {@code value} to {@code p} on a scripted device that echoes, and returns the request's PDU. */
    private static String written(Point p, PointValue value, String echo) throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1",
                dev.port(), FAST)) {
            dev.thenPdu(echo);
            new ModbusMeter(link, 0x11, RequestLimits.DEFAULT).write(p, value);
            byte[] frame = dev.received().get(0);
            return hex(Arrays.copyOfRange(frame, 7, frame.length));
        }
    }

    private static PointValue number(String v) {
        return new PointValue.Number(new BigDecimal(v));
    }

    @Test
    void oneRegisterGoesAsFunction06AsInTheSpec() throws Exception {
        // 6.6: write register 2 (address 0x0001) to 0x0003.
        assertEquals("06 00 01 00 03", written(register(1, DataType.UINT16, WordOrder.ABCD), number("3"),
                "06 00 01 00 03"));
        // A scaled setpoint: 55.0 % held in tenths is 550 = 0x0226.
        Point tenths = point(Table.HOLDING, 2, DataType.UINT16, WordOrder.ABCD, -1, Scaling.powerOfTen(-1));
        assertEquals("06 00 02 02 26", written(tenths, number("55.0"), "06 00 02 02 26"));
        // Signed: -5 is two's complement 0xFFFB.
        assertEquals("06 00 07 FF FB", written(register(7, DataType.INT16, WordOrder.ABCD), number("-5"),
                "06 00 07 FF FB"));
    }

    @Test
    void multiRegisterTypesGoAsFunction16InTheirWordOrder() throws Exception {
        // 6.12: write registers 2 and 3 (from address 1) with 0x000A and 0x0102: a uint32 0x000A0102, high word first.
        assertEquals("10 00 01 00 02 04 00 0A 01 02", written(register(1, DataType.UINT32, WordOrder.ABCD),
                number(String.valueOf(0x000A0102)), "10 00 01 00 02"));
        // The same registers as a low-word-first uint32 are 0x0102000A.
        assertEquals("10 00 01 00 02 04 00 0A 01 02", written(register(1, DataType.UINT32, WordOrder.CDAB),
                number(String.valueOf(0x0102000A)), "10 00 01 00 02"));
        // IEEE 754: 230.5 = 0x43668000; CDAB sends the low word first, DCBA every byte reversed.
        assertEquals("10 00 00 00 02 04 43 66 80 00", written(register(0, DataType.FLOAT32, WordOrder.ABCD),
                number("230.5"), "10 00 00 00 02"));
        assertEquals("10 00 00 00 02 04 80 00 43 66", written(register(0, DataType.FLOAT32, WordOrder.CDAB),
                number("230.5"), "10 00 00 00 02"));
        assertEquals("10 00 00 00 02 04 00 80 66 43", written(register(0, DataType.FLOAT32, WordOrder.DCBA),
                number("230.5"), "10 00 00 00 02"));
        // 1.5 as a double is 0x3FF8000000000000: four registers.
        assertEquals("10 00 10 00 04 08 3F F8 00 00 00 00 00 00", written(register(16, DataType.FLOAT64,
                WordOrder.ABCD), number("1.5"), "10 00 10 00 04"));
    }

    @Test
    void aCoilGoesAsFunction05AsInTheSpec() throws Exception {
        // 6.5: coil 173 (address 0xAC) ON is FF 00; OFF is 00 00.
        Point coil = point(Table.COIL, 0xAC, DataType.BOOL, WordOrder.ABCD, -1, Scaling.NONE);
        assertEquals("05 00 AC FF 00", written(coil, new PointValue.Flag(true), "05 00 AC FF 00"));
        assertEquals("05 00 AC 00 00", written(coil, new PointValue.Flag(false), "05 00 AC 00 00"));
    }

    @Test
    void aBitOfARegisterIsReadChangedAndWrittenBack() throws Exception {
        Point bit3 = point(Table.HOLDING, 5, DataType.BOOL, WordOrder.ABCD, 3, Scaling.NONE);
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1",
                dev.port(), FAST)) {
            dev.thenPdu("03 02 00 01").thenPdu("06 00 05 00 09");
            new ModbusMeter(link, 0x11, RequestLimits.DEFAULT).write(bit3, new PointValue.Flag(true));
            assertEquals("03 00 05 00 01", hex(Arrays.copyOfRange(dev.received().get(0), 7, 12)));
            assertEquals("06 00 05 00 09", hex(Arrays.copyOfRange(dev.received().get(1), 7, 12)),
                    "bit 0 kept, bit 3 set");
        }
    }

    @Test
    void anExceptionAnswerIsRefusedWithItsCode() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1",
                dev.port(), FAST)) {
            dev.thenPdu("86 03");
            RejectedException e = assertThrows(RejectedException.class, () -> new ModbusMeter(link, 0x11,
                    RequestLimits.DEFAULT).write(register(2, DataType.UINT16, WordOrder.ABCD), number("7")));
            assertEquals(3, e.code());
        }
    }
}
