package io.edgegateway.dlms.push;

import io.edgegateway.dlms.Hex;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data-Notification, byte for byte from its A-XDR definition. */
class DataNotificationTest {

    /** Worked by hand from Data-Notification ::= SEQUENCE {long-invoke-id-and-priority, date-time, body}. */
    static final String VECTOR = ""
            + "0F"                           // tag: data-notification [15]
            + "00000001"                     // long-invoke-id-and-priority (Unsigned32): invoke id 1, normal
            + "0C"                           // date-time: OCTET STRING, length 12
            + "07E9" + "06" + "0F" + "07"    //   year 2025, month 6, day 15, day of week 7 (Sunday)
            + "0C" + "1E" + "00" + "00"      //   12:30:00.00 local time
            + "FFC4"                         //   deviation -60 min (local = UTC + 1 h, Blue Book sign)
            + "00"                           //   clock status ok
            + "0203"                         // notification-body: structure of 3 elements
            + "0906" + "0000190900FF"        //   octet-string(6): logical name of push setup 0.0.25.9.0.255
            + "06" + "0001638E"              //   double-long-unsigned 91022
            + "12" + "0907";                 //   long-unsigned 2311

    static DataNotification expected() {
        return new DataNotification(1, Optional.of(new CosemDateTime(2025, 6, 15, 7, 12, 30, 0, 0, -60, 0)),
                DlmsData.Structure.of(new DlmsData.OctetString(ObisCode.parse("0.0.25.9.0.255").toBytes()),
                        DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 91022),
                        DlmsData.Int.of(DataTag.LONG_UNSIGNED, 2311)));
    }

    @Test
    void encodesAndDecodesTheHandWorkedVector() {
        assertEquals(VECTOR, Hex.of(expected().encode()));
        DataNotification n = DataNotification.decode(Hex.bytes(VECTOR));
        assertEquals(expected(), n);
        assertEquals(1, n.invokeId());
        assertFalse(n.highPriority());
        assertEquals(Instant.parse("2025-06-15T11:30:00Z"), n.dateTime().orElseThrow().toInstant(),
                "12:30 local with deviation -60 is 11:30 UTC");
    }

    @Test
    void anAbsentDateTimeIsALengthOfZero() {
        DataNotification n = new DataNotification(0x8000_0002L, Optional.empty(), DlmsData.Int.of(DataTag.UNSIGNED, 7));
        assertEquals("0F" + "80000002" + "00" + "1107", Hex.of(n.encode()));
        assertEquals(n, DataNotification.decode(n.encode()));
        assertTrue(n.highPriority());
        assertEquals(2, n.invokeId());
    }

    @Test
    void malformedBytesAreRefused() {
        assertThrows(MalformedException.class, () -> DataNotification.decode(Hex.bytes("0F000000")), "truncated");
        assertThrows(MalformedException.class, () -> DataNotification.decode(Hex.bytes("0F00000001" + "05"
                + "0102030405" + "1107")), "a date-time is 0 or 12 bytes");
        assertThrows(MalformedException.class, () -> DataNotification.decode(Hex.bytes("0F00000001" + "00" + "1107"
                + "00")), "trailing bytes");
        assertThrows(MalformedException.class, () -> DataNotification.decode(Hex.bytes("C001")), "another APDU");
    }
}
