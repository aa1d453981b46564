package io.edgegateway.dlms.cosem;

import io.edgegateway.dlms.Hex;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.Apdu;
import io.edgegateway.dlms.apdu.AttributeDescriptor;
import io.edgegateway.dlms.apdu.GetRequest;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.CosemUnit;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.point.PointValue;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Profile Generic selective access and buffers, byte for byte. The vectors are worked by hand from the
 * definitions (xDLMS GET-Request, Selective-Access-Descriptor, the class 7 range_descriptor and entry_descriptor,
 * capture_object_definition, the A-XDR Data CHOICE and the 12-byte date-time); every field is written out.
 */
class BufferSelectionTest {

    private static final ObisCode LOAD_PROFILE = ObisCode.parse("1.0.99.1.0.255");
    private static final AttributeDescriptor BUFFER = new AttributeDescriptor(7, LOAD_PROFILE, 2);
    private static final CaptureObject ENERGY = new CaptureObject(3, ObisCode.parse("1.0.1.8.0.255"), 2, 0);

    /** 2026-11-01 00:00:00 UTC; 2026-11-01 is a Sunday (day of week 7). */
    private static final String NOV_1 = "07EA 0B 01 07 00 00 00 00 0000 00";
    /** 2026-11-02 00:00:00 UTC, a Monday (1). */
    private static final String NOV_2 = "07EA 0B 02 01 00 00 00 00 0000 00";

    private static final String RANGE_REQUEST = String.join(" ",
            "C0",                       // tag: get-request
            "01",                       // choice: get-request-normal
            "C1",                       // invoke-id-and-priority: high priority, confirmed, invoke id 1
            "0007",                     // cosem-class-id 7 (Profile Generic)
            "0100630100FF",             // instance-id 1.0.99.1.0.255
            "02",                       // attribute-id 2 (buffer)
            "01",                       // access-selection present (OPTIONAL used)
            "01",                       // access-selector 1: range_descriptor
            "0204",                     // access-parameters: structure of 4
            "0204",                     //   restricting_object: capture_object_definition, structure of 4
            "120008",                   //     class_id: long-unsigned 8 (Clock)
            "0906 0000010000FF",        //     logical_name: octet-string of 6, 0.0.1.0.0.255
            "0F02",                     //     attribute_index: integer 2 (time)
            "120000",                   //     data_index: long-unsigned 0 (the whole attribute)
            "090C", NOV_1,              //   from_value: octet-string of 12, a date-time
            "090C", NOV_2,              //   to_value: octet-string of 12
            "0100");                    //   selected_values: array of 0 (every column)

    private static final String ENTRY_REQUEST = String.join(" ",
            "C0 01 C1",                 // get-request, normal, invoke-id-and-priority 0xC1
            "0007 0100630100FF 02",     // 7 / 1.0.99.1.0.255 / attribute 2
            "01",                       // access-selection present
            "02",                       // access-selector 2: entry_descriptor
            "0204",                     // structure of 4
            "06 00000001",              //   from_entry: double-long-unsigned 1 (the oldest)
            "06 00000060",              //   to_entry: double-long-unsigned 96
            "12 0001",                  //   from_selected_value: long-unsigned 1 (the first column)
            "12 0000");                 //   to_selected_value: long-unsigned 0 (up to the last)

    @Test
    void rangeDescriptorOnTheClockEncodesAndDecodes() {
        BufferSelection.ByRange range = BufferSelection.ByRange.ofClock(
                CosemDateTime.ofUtc(Instant.parse("2026-11-01T00:00:00Z")),
                CosemDateTime.ofUtc(Instant.parse("2026-11-02T00:00:00Z")));
        GetRequest.Normal request = new GetRequest.Normal(0xC1, BUFFER, range.toAccess());
        assertEquals(Hex.of(Hex.bytes(RANGE_REQUEST)), Hex.of(request.encode()));

        GetRequest.Normal decoded = assertInstanceOf(GetRequest.Normal.class, Apdu.decode(Hex.bytes(RANGE_REQUEST)));
        assertEquals(BUFFER, decoded.attribute());
        BufferSelection.ByRange r = assertInstanceOf(BufferSelection.ByRange.class,
                BufferSelection.of(decoded.access()));
        assertEquals(CaptureObject.clock(), r.restricting());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), r.fromTime().toInstant());
        assertEquals(Instant.parse("2026-11-02T00:00:00Z"), r.toTime().toInstant());
        assertEquals(List.of(), r.selected());
        assertEquals(range, r);
    }

    @Test
    void entryDescriptorEncodesAndDecodes() {
        BufferSelection.ByEntry entries = new BufferSelection.ByEntry(1, 96, 1, 0);
        assertEquals(Hex.of(Hex.bytes(ENTRY_REQUEST)), Hex.of(new GetRequest.Normal(0xC1, BUFFER,
                entries.toAccess()).encode()));
        GetRequest.Normal decoded = assertInstanceOf(GetRequest.Normal.class, Apdu.decode(Hex.bytes(ENTRY_REQUEST)));
        assertEquals(entries, BufferSelection.of(decoded.access()));
    }

    @Test
    void bufferOfTwoRowsDecodesWithTheScaler() {
        String buffer = String.join(" ",
                "0102",                 // array of 2 entries
                "0202",                 //   structure of 2 (clock, energy)
                "090C", NOV_1,          //     octet-string of 12: 2026-11-01 00:00:00, deviation 0, status ok
                "06 0001E240",          //     double-long-unsigned 123456
                "0202",                 //   structure of 2
                "090C 07EA 0B 01 07 00 0F 00 00 0000 00", // 2026-11-01 00:15:00
                "06 0001E24A");         //     double-long-unsigned 123466
        DlmsData rows = new DlmsData.Array(List.of(
                DlmsData.Structure.of(CosemDateTime.ofUtc(Instant.parse("2026-11-01T00:00:00Z")).toData(),
                        DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 123456)),
                DlmsData.Structure.of(CosemDateTime.ofUtc(Instant.parse("2026-11-01T00:15:00Z")).toData(),
                        DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 123466))));
        assertEquals(Hex.of(Hex.bytes(buffer)), Hex.of(AxdrWriter.encode(rows)));

        // scaler 1, unit Wh (30): 123456 x 10^1 Wh
        List<ProfileColumn> columns = List.of(ProfileColumn.unscaled(CaptureObject.clock()),
                new ProfileColumn(ENERGY, 1, new CosemUnit(30)));
        List<ProfileRow> decoded = ProfileBuffer.decode(new AxdrReader(Hex.bytes(buffer)).data(), columns,
                Duration.ofMinutes(15));
        assertEquals(2, decoded.size());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), decoded.get(0).time());
        assertEquals(Instant.parse("2026-11-01T00:15:00Z"), decoded.get(1).time());
        assertEquals(0, decoded.get(0).clockStatus());
        assertNumber("1234560", decoded.get(0).values().get(1));
        assertNumber("1234660", decoded.get(1).values().get(1));
        assertEquals("Wh", columns.get(1).unitSymbol());
    }

    @Test
    void aNullDataClockIsThePreviousRowPlusTheCapturePeriod() {
        String buffer = String.join(" ",
                "0103",                 // array of 3 entries
                "0202 090C", NOV_1, "06 00000064",  // 2026-11-01 00:00, 100
                "0202 00 06 00000065",              // clock null-data (compressed profile), 101
                "0202 00 06 00000066");             // null-data again, 102
        List<ProfileColumn> columns = List.of(ProfileColumn.unscaled(CaptureObject.clock()),
                new ProfileColumn(ENERGY, 0, new CosemUnit(30)));
        List<ProfileRow> rows = ProfileBuffer.decode(new AxdrReader(Hex.bytes(buffer)).data(), columns,
                Duration.ofMinutes(15));
        assertEquals(Instant.parse("2026-11-01T00:15:00Z"), rows.get(1).time());
        assertEquals(Instant.parse("2026-11-01T00:30:00Z"), rows.get(2).time());
        assertEquals(ProfileRow.STATUS_NOT_SPECIFIED, rows.get(1).clockStatus());
        assertNumber("102", rows.get(2).values().get(1));

        // Without a capture period nothing can be inferred.
        List<ProfileRow> unknown = ProfileBuffer.decode(new AxdrReader(Hex.bytes(buffer)).data(), columns,
                Duration.ZERO);
        assertNull(unknown.get(1).time());
        assertInstanceOf(PointValue.Invalid.class, unknown.get(1).values().get(0));
    }

    @Test
    void aDeviationOfMinusSixtyIsCentralEuropeanTime() {
        // 2026-11-01 01:00:00 local, deviation 0xFFC4 = -60 (local = UTC - deviation: UTC+1), status 0x00
        String buffer = "0101 0202 090C 07EA 0B 01 07 01 00 00 00 FFC4 00 06 00000001";
        List<ProfileColumn> columns = List.of(ProfileColumn.unscaled(CaptureObject.clock()),
                new ProfileColumn(ENERGY, 0, new CosemUnit(30)));
        ProfileRow row = ProfileBuffer.decode(new AxdrReader(Hex.bytes(buffer)).data(), columns, Duration.ZERO)
                .getFirst();
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), row.time());
        assertEquals(Hex.of(Hex.bytes("07EA 0B 01 07 01 00 00 00 FFC4 00")),
                Hex.of(CosemDateTime.of(Instant.parse("2026-11-01T00:00:00Z"), -60, 0).toBytes()));
    }

    private static void assertNumber(String expected, PointValue v) {
        PointValue.Number n = assertInstanceOf(PointValue.Number.class, v);
        assertEquals(0, new BigDecimal(expected).compareTo(n.value()), expected + " vs " + n.value());
    }
}
