package io.edgegateway.sim.modbus;

import io.edgegateway.point.Table;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.List;

import static io.edgegateway.sim.modbus.Hex.bytes;
import static io.edgegateway.sim.modbus.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's own codec against fixed vectors: Modbus Application Protocol v1.1b3 section 6 examples (PDUs),
 * Modbus over serial line v1.02 (CRC, RTU frames), Modbus Messaging on TCP/IP Implementation Guide v1.0b (MBAP).
 */
class CodecTest {

    // ---- CRC-16/MODBUS -------------------------------------------------------------------------------------

    @Test
    void crcVectors() {
        assertEquals(0xCDC5, Crc16.of(bytes("01 03 00 00 00 0A")), "01 03 00 00 00 0A goes out as ... C5 CD");
        assertEquals(0x1241, Crc16.of(bytes("02 07")), "the serial-line spec's example: 02 07 -> 41 12");
        assertEquals(0x8776, Crc16.of(bytes("11 03 00 6B 00 03")), "11 03 00 6B 00 03 -> 76 87");
        assertEquals(0x4B37, Crc16.of(bytes("31 32 33 34 35 36 37 38 39")), "CRC-16/MODBUS check value of \"123456789\"");
        assertTrue(Crc16.check(bytes("01 03 00 00 00 0A C5 CD"), 0, 8));
        assertFalse(Crc16.check(bytes("01 03 00 00 00 0A CD C5"), 0, 8), "byte order matters: low byte first");
    }

    // ---- PDUs ----------------------------------------------------------------------------------------------

    @Test
    void specRequestsDecode() {
        assertEquals(new Pdu.ReadBits(1, Table.COIL, 0x13, 19), Pdu.decode(bytes("01 00 13 00 13")));
        assertEquals(new Pdu.ReadBits(2, Table.DISCRETE_INPUT, 0xC4, 22), Pdu.decode(bytes("02 00 C4 00 16")));
        assertEquals(new Pdu.ReadRegisters(3, Table.HOLDING, 0x6B, 3), Pdu.decode(bytes("03 00 6B 00 03")));
        assertEquals(new Pdu.ReadRegisters(4, Table.INPUT, 0x08, 1), Pdu.decode(bytes("04 00 08 00 01")));
        assertEquals(new Pdu.WriteCoil(0xAC, true), Pdu.decode(bytes("05 00 AC FF 00")));
        assertEquals(new Pdu.WriteRegister(0x01, 3), Pdu.decode(bytes("06 00 01 00 03")));

        Pdu.WriteCoils coils = assertInstanceOf(Pdu.WriteCoils.class, Pdu.decode(bytes("0F 00 13 00 0A 02 CD 01")));
        assertEquals(0x13, coils.start());
        assertArrayEquals(new boolean[] {true, false, true, true, false, false, true, true, true, false}, coils.values(),
                "coils 20-29 = CD 01, first coil in bit 0");

        Pdu.WriteRegisters regs = assertInstanceOf(Pdu.WriteRegisters.class,
                Pdu.decode(bytes("10 00 01 00 02 04 00 0A 01 02")));
        assertEquals(1, regs.start());
        assertEquals("00 0A 01 02", hex(regs.data()));
    }

    @Test
    void specAnswersEncode() {
        // Coils 20..38: 1011 0011 | 1101 0110 | 101 -> CD 6B 05
        boolean[] coils = bits("1011001111010110101");
        assertEquals("01 03 CD 6B 05", hex(Pdu.bitsAnswer(1, coils)));
        assertEquals("02 03 AC DB 35", hex(Pdu.bitsAnswer(2, bits("0011010111011011101011"))));
        assertEquals("03 06 02 2B 00 00 00 64", hex(Pdu.registersAnswer(3, bytes("02 2B 00 00 00 64"))));
        assertEquals("04 02 00 0A", hex(Pdu.registersAnswer(4, bytes("00 0A"))));
        assertEquals("05 00 AC FF 00", hex(Pdu.writeAnswer(bytes("05 00 AC FF 00"))));
        assertEquals("06 00 01 00 03", hex(Pdu.writeAnswer(bytes("06 00 01 00 03"))));
        assertEquals("0F 00 13 00 0A", hex(Pdu.writeAnswer(bytes("0F 00 13 00 0A 02 CD 01"))));
        assertEquals("10 00 01 00 02", hex(Pdu.writeAnswer(bytes("10 00 01 00 02 04 00 0A 01 02"))));
        // Section 7: read coil 0x04A1 of a device without it -> 81 02.
        assertEquals("81 02", hex(Pdu.exception(1, Pdu.ILLEGAL_DATA_ADDRESS)));
    }

    private static boolean[] bits(String s) {
        boolean[] b = new boolean[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = s.charAt(i) == '1';
        }
        return b;
    }

    @Test
    void malformedRequestsGetTheSpecsExceptionCodes() {
        assertEquals(new Pdu.Malformed(3, 3), Pdu.decode(bytes("03 00 00 00 00")), "quantity 0");
        assertEquals(new Pdu.Malformed(3, 3), Pdu.decode(bytes("03 00 00 00 7E")), "126 registers");
        assertEquals(new Pdu.Malformed(1, 3), Pdu.decode(bytes("01 00 00 07 D1")), "2001 coils");
        assertEquals(new Pdu.Malformed(4, 2), Pdu.decode(bytes("04 FF FF 00 02")), "past address 65535");
        assertEquals(new Pdu.Malformed(5, 3), Pdu.decode(bytes("05 00 01 12 34")), "coil value neither FF00 nor 0000");
        assertEquals(new Pdu.Malformed(16, 3), Pdu.decode(bytes("10 00 01 00 02 03 00 0A 01")), "byte count != 2N");
        assertEquals(new Pdu.Malformed(3, 3), Pdu.decode(bytes("03 00 01")), "truncated");
        assertEquals(new Pdu.Malformed(0x2B, 1), Pdu.decode(bytes("2B 0E 01 00")), "function not implemented");
    }

    // ---- MBAP ----------------------------------------------------------------------------------------------

    @Test
    void mbapFramesReadAndWrite() throws Exception {
        byte[] wire = bytes("00 01 00 00 00 06 11 03 00 6B 00 03");
        Mbap m = Mbap.read(new ByteArrayInputStream(wire));
        assertEquals(1, m.transactionId());
        assertEquals(0x11, m.unitId());
        assertEquals("03 00 6B 00 03", hex(m.pdu()));
        assertArrayEquals(wire, m.encode());
        assertEquals("00 01 00 00 00 09 11 03 06 02 2B 00 00 00 64",
                hex(m.answer(bytes("03 06 02 2B 00 00 00 64")).encode()), "answer echoes transaction and unit");
    }

    @Test
    void mbapRefusesWhatCannotBeModbus() {
        assertThrows(Mbap.BadFrameException.class, () -> Mbap.read(new ByteArrayInputStream(
                bytes("00 01 00 01 00 06 11 03 00 6B 00 03"))), "protocol id 1");
        assertThrows(Mbap.BadFrameException.class, () -> Mbap.read(new ByteArrayInputStream(
                bytes("00 01 00 00 01 00 11 03"))), "length 256");
        assertThrows(EOFException.class, () -> Mbap.read(new ByteArrayInputStream(bytes("00 01 00 00 00 06 11 03"))));
    }

    // ---- RTU framing ---------------------------------------------------------------------------------------

    @Test
    void rtuFramesCarryTheCrcLowByteFirst() {
        assertEquals("11 03 00 6B 00 03 76 87", hex(RtuFrames.encode(0x11, bytes("03 00 6B 00 03"))));
        assertEquals("01 03 00 00 00 0A C5 CD", hex(RtuFrames.encode(1, bytes("03 00 00 00 0A"))));
        assertEquals("11 83 02 C1 34", hex(RtuFrames.encode(0x11, bytes("83 02"))));
    }

    @Test
    void requestsAreFramedByFunctionCodeWhateverTheChunks() {
        RtuFrames f = new RtuFrames();
        byte[] two = bytes("11 03 00 6B 00 03 76 87 11 10 00 01 00 02 04 00 0A 01 02 C6 F0");
        List<byte[]> frames = new java.util.ArrayList<>();
        for (byte b : two) {
            frames.addAll(f.accept(new byte[] {b}, 0, 1));
        }
        assertEquals(2, frames.size());
        assertEquals("11 03 00 6B 00 03", hex(frames.get(0)));
        assertEquals("11 10 00 01 00 02 04 00 0A 01 02", hex(frames.get(1)));
        assertEquals(0, f.pending());
        assertEquals(0, f.crcErrors());
    }

    @Test
    void noiseAndBadCrcsAreSkippedUntilTheNextGoodFrame() {
        RtuFrames f = new RtuFrames();
        // A noise byte, a frame with a broken CRC, then a good frame.
        byte[] wire = bytes("FF 11 03 00 6B 00 03 76 88 01 04 00 00 00 02 71 CB");
        List<byte[]> frames = f.accept(wire, 0, wire.length);
        assertEquals(1, frames.size());
        assertEquals("01 04 00 00 00 02", hex(frames.get(0)));
        assertEquals(9, f.discarded(), "the noise byte and the broken frame");

        RtuFrames g = new RtuFrames();
        byte[] broken = bytes("11 03 00 6B 00 03 76 88 01 04 00 00 00 02 71 CB");
        frames = g.accept(broken, 0, broken.length);
        assertEquals("01 04 00 00 00 02", hex(frames.get(0)));
        assertEquals(1, g.crcErrors());
    }

    @Test
    void silenceEndsUnfinishedFramesAndLetsUnknownFunctionsThrough() {
        RtuFrames f = new RtuFrames();
        assertTrue(f.accept(bytes("11 03 00 6B"), 0, 4).isEmpty());
        assertTrue(f.silence().isEmpty(), "half a frame is dropped");
        assertEquals(0, f.pending());
        byte[] unknown = RtuFrames.encode(0x11, bytes("2B 0E 01 00"));
        assertTrue(f.accept(unknown, 0, unknown.length).isEmpty(), "length unknown until the line is quiet");
        List<byte[]> frames = f.silence();
        assertEquals("11 2B 0E 01 00", hex(frames.get(0)), "answered 'illegal function' by the responder");
    }
}
