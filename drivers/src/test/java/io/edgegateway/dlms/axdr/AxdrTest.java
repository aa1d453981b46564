package io.edgegateway.dlms.axdr;

import io.edgegateway.dlms.Hex;
import io.edgegateway.dlms.MalformedException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A-XDR vectors, one per COSEM data type, worked out from the encoding rules (tag byte, fixed-size big-endian
 * integers, compact length before variable-size values).
 */
class AxdrTest {

    private static void vector(DlmsData value, String hex) {
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(AxdrWriter.encode(value)), "encode " + value);
        assertEquals(value, AxdrReader.decode(Hex.bytes(hex)), "decode " + hex);
    }

    @Test
    void everyTypeEncodesAndDecodes() {
        vector(DlmsData.Null.INSTANCE, "00");
        vector(new DlmsData.Bool(true), "03 01");
        vector(new DlmsData.Bool(false), "03 00");
        vector(new DlmsData.BitString(12, Hex.bytes("A5 F0")), "04 0C A5 F0");
        vector(DlmsData.Int.of(DataTag.DOUBLE_LONG, -2), "05 FFFFFFFE");
        vector(DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 1_456_780), "06 00163A8C");
        vector(DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 0xFFFF_FFFFL), "06 FFFFFFFF");
        vector(new DlmsData.OctetString(Hex.bytes("0000010000FF")), "09 06 0000010000FF");
        vector(new DlmsData.VisibleString("ABC"), "0A 03 414243");
        vector(new DlmsData.Utf8String("µ"), "0C 02 C2B5");
        vector(DlmsData.Int.of(DataTag.BCD, 0x12), "0D 12");
        vector(DlmsData.Int.of(DataTag.INTEGER, -1), "0F FF");
        vector(DlmsData.Int.of(DataTag.LONG, -300), "10 FED4");
        vector(DlmsData.Int.of(DataTag.UNSIGNED, 200), "11 C8");
        vector(DlmsData.Int.of(DataTag.LONG_UNSIGNED, 2305), "12 0901");
        vector(DlmsData.Int.of(DataTag.LONG64, -1), "14 FFFFFFFFFFFFFFFF");
        vector(DlmsData.Int.of(DataTag.LONG64_UNSIGNED, -1), "15 FFFFFFFFFFFFFFFF");
        vector(DlmsData.Int.of(DataTag.ENUM, 30), "16 1E");
        vector(new DlmsData.Float32(230.5f), "17 43668000");
        vector(new DlmsData.Float64(50.1), "18 40490CCCCCCCCCCD");
        vector(new DlmsData.DateTimeValue(DataTag.DATE_TIME, Hex.bytes("07E90C0F010F2A3A00000000")),
                "19 07E90C0F010F2A3A00000000");
        vector(new DlmsData.DateTimeValue(DataTag.DATE, Hex.bytes("07E90C0F01")), "1A 07E90C0F01");
        vector(new DlmsData.DateTimeValue(DataTag.TIME, Hex.bytes("0F2A3A00")), "1B 0F2A3A00");
        // scaler_unit of a voltage register: scaler -1, unit 35 (V)
        vector(DlmsData.Structure.of(DlmsData.Int.of(DataTag.INTEGER, -1), DlmsData.Int.of(DataTag.ENUM, 35)),
                "02 02 0FFF 1623");
        vector(new DlmsData.Array(List.of(DlmsData.Int.of(DataTag.UNSIGNED, 1), DlmsData.Int.of(DataTag.UNSIGNED, 2))),
                "01 02 1101 1102");
    }

    @Test
    void unsignedSixtyFourBitsStayExact() {
        DlmsData.Int max = (DlmsData.Int) AxdrReader.decode(Hex.bytes("15 FFFFFFFFFFFFFFFF"));
        assertEquals(new BigDecimal("18446744073709551615"), max.decimal());
    }

    @Test
    void compactLengthUsesOneTwoOrThreeBytes() {
        byte[] b200 = AxdrWriter.encode(new DlmsData.OctetString(new byte[200]));
        assertEquals("0981C8", Hex.of(java.util.Arrays.copyOf(b200, 3)));
        byte[] b300 = AxdrWriter.encode(new DlmsData.OctetString(new byte[300]));
        assertEquals("0982012C", Hex.of(java.util.Arrays.copyOf(b300, 4)));
        assertEquals(300, ((DlmsData.OctetString) AxdrReader.decode(b300)).length());
    }

    @Test
    void truncatedAndUnknownInputIsRejectedClearly() {
        MalformedException e = assertThrows(MalformedException.class, () -> AxdrReader.decode(Hex.bytes("06 0016")));
        assertEquals("truncated: needs 4 more bytes, 2 left", e.getMessage());
        assertThrows(MalformedException.class, () -> AxdrReader.decode(Hex.bytes("07 00")), "tag 7 is not a type");
        assertThrows(MalformedException.class, () -> AxdrReader.decode(Hex.bytes("02 05 1101")), "structure runs short");
        assertThrows(MalformedException.class, () -> AxdrReader.decode(Hex.bytes("1101 00")), "trailing bytes");
    }

    @Test
    void dateTimeRoundTripsAndPrintsIso() {
        CosemDateTime t = CosemDateTime.ofUtc(Instant.parse("2025-12-15T15:42:58.080Z"));
        assertEquals("07E90C0F010F2A3A08000000", Hex.of(t.toBytes()));
        assertEquals("2025-12-15T15:42:58.080Z", CosemDateTime.fromBytes(t.toBytes()).toIso());
        // CET meter: deviation -60 means local = UTC + 1 h
        CosemDateTime cet = CosemDateTime.fromBytes(Hex.bytes("07E90C0F0110000000FFC400"));
        assertEquals("2025-12-15T16:00+01:00", cet.toIso());
        CosemDateTime noDeviation = CosemDateTime.fromBytes(Hex.bytes("07E90C0F011000000080000 0".replace(" ", "")));
        assertEquals("2025-12-15T16:00", noDeviation.toIso());
        assertThrows(MalformedException.class, () -> CosemDateTime.fromBytes(Hex.bytes("FFFF0C0F0110000000800000")).toIso());
    }

    @Test
    void unitsHaveTheirSymbols() {
        assertEquals("V", new CosemUnit(35).symbol());
        assertEquals("Wh", new CosemUnit(30).symbol());
        assertEquals("Hz", new CosemUnit(44).symbol());
        assertEquals("A", new CosemUnit(33).symbol());
        assertEquals("W", new CosemUnit(27).symbol());
        assertEquals("", CosemUnit.COUNT.symbol());
        assertEquals(30, CosemUnit.bySymbol("Wh").orElseThrow().code());
        assertEquals(13, CosemUnit.bySymbol("m3").orElseThrow().code());
    }
}
