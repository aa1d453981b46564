package io.edgegateway.dlms.push;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ProfileCatalog;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A push body's values by position, as the dlms-standard profile's points or as OBIS-named points. */
class PushLayoutTest {

    private final List<Point> points = ProfileCatalog.shipped().find("dlms-standard").orElseThrow().points();

    private static PushObject object(String cosem, int scaler, String unit) {
        return new PushObject(CosemAddress.parse(cosem), scaler, unit);
    }

    private Point point(String name) {
        return points.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void valuesBecomeTheProfilesPointsOrOBISNamedPoints() {
        PushLayout layout = PushLayout.of(List.of(object("40/0.0.25.9.0.255/1", 0, ""),
                object("3/1.0.1.8.0.255/2", 1, "Wh"), object("3/1.0.32.7.0.255/2", -1, "V"),
                object("3/1.0.99.7.0.255/2", -2, "W"), object("1/0.0.96.1.0.255/2", 0, "")), points);
        Map<Point, PointValue> v = layout.values(DlmsData.Structure.of(
                new DlmsData.OctetString(ObisCode.parse("0.0.25.9.0.255").toBytes()),
                DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 145678),
                DlmsData.Int.of(DataTag.LONG_UNSIGNED, 2311),
                DlmsData.Int.of(DataTag.DOUBLE_LONG, -1234),
                new DlmsData.OctetString("62124022447".getBytes())));
        assertEquals(4, v.size(), "the push setup's name is skipped");
        List<Point> keys = List.copyOf(v.keySet());
        assertSame(point("Import active energy"), keys.get(0), "the profile's own point instance");
        assertEquals(new PointValue.Number(new BigDecimal("1456.78")), v.get(keys.get(0)),
                "145678 x 10^1 Wh = 1456.78 kWh");
        assertEquals(new PointValue.Number(new BigDecimal("231.1")), v.get(point("L1 Voltage")));
        assertEquals("1.0.99.7.0.255", keys.get(2).name(), "not a point of the profile: named by its OBIS code");
        assertEquals("W", keys.get(2).unit());
        assertEquals(new PointValue.Number(new BigDecimal("-12.34")), v.get(keys.get(2)));
        assertEquals(new PointValue.Text("62124022447"), v.get(keys.get(3)));
        assertEquals(layout.points(), keys);
    }

    @Test
    void aBodyThatDoesNotFitTheListIsMalformed() {
        PushLayout layout = PushLayout.of(List.of(object("3/1.0.1.8.0.255/2", 1, "Wh")), points);
        assertThrows(MalformedException.class, () -> layout.values(DlmsData.Int.of(DataTag.UNSIGNED, 1)));
        assertThrows(MalformedException.class, () -> layout.values(DlmsData.Structure.of(
                DlmsData.Int.of(DataTag.UNSIGNED, 1), DlmsData.Int.of(DataTag.UNSIGNED, 2))));
        PointValue nul = layout.values(DlmsData.Structure.of(DlmsData.Null.INSTANCE)).values().iterator().next();
        assertInstanceOf(PointValue.Invalid.class, nul);
    }

    @Test
    void aUnitThatDoesNotConvertOrATwiceListedObjectIsRefused() {
        PushLayout.BadObjectException unit = assertThrows(PushLayout.BadObjectException.class,
                () -> PushLayout.of(List.of(object("40/0.0.25.9.0.255/1", 0, ""),
                        object("3/1.0.1.8.0.255/2", 0, "V")), points));
        assertEquals(1, unit.index());
        assertTrue(unit.getMessage().contains("does not convert to kWh"), unit.getMessage());
        assertEquals(1, assertThrows(PushLayout.BadObjectException.class, () -> PushLayout.of(List.of(
                object("3/1.0.99.7.0.255/2", 0, ""), object("3/1.0.99.7.0.255/2", 0, "")), points)).index());
        assertEquals(3, io.edgegateway.dlms.axdr.CosemUnit.prefixExponent("Wh", "kWh").getAsInt());
        assertTrue(io.edgegateway.dlms.axdr.CosemUnit.prefixExponent("V", "kWh").isEmpty());
    }

}
