package io.edgegateway.scan;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The rules that tell register maps apart, on the shipped profiles and on hand-made points. */
class PlausibilityTest {

    private final Plausibility rules = new Plausibility();
    private final ProfileCatalog catalog = ProfileCatalog.shipped();

    private List<String> evidence(String profile) {
        return rules.evidencePoints(catalog.find(profile).orElseThrow()).stream().map(Point::name).toList();
    }

    @Test
    void evidenceIsTheTellingPointsFirstThenOnePerFamily() {
        assertEquals(List.of("L1 Voltage", "Frequency", "L2 Voltage", "L3 Voltage", "L1 Current", "L1 Active Power",
                "L1 Power Factor"), evidence("sdm630"));
        assertEquals(List.of("L1 Voltage", "Frequency", "L1 Current", "L1 Active Power", "L1 Power Factor"),
                evidence("sdm120"));
        assertEquals(List.of("L1 Voltage", "Frequency", "L2 Voltage", "L3 Voltage", "L1 Current", "L1 Active Power",
                "Total Power Factor"), evidence("iem3000"));
        // the PLC: its name tag, and a percentage, a temperature and an enum; never its coils or status bits
        assertEquals(List.of("Station Tag", "Tank Level", "Water Temperature", "Process State"), evidence("plc"));
        assertEquals(List.of("L1 Voltage", "Frequency", "L2 Voltage", "L3 Voltage", "Total absolute cumulative "
                + "active energy register", "L1 Current", "Total Active Power"), evidence("dlms-standard"));
    }

    private static Point point(String unit, String quantity) {
        return new Point("P", ModbusAddress.of(Table.INPUT, 0, DataType.FLOAT32), Scaling.NONE, 1, unit,
                BigDecimal.ZERO, Map.of(), "", quantity);
    }

    private static PointValue n(String v) {
        return new PointValue.Number(new BigDecimal(v));
    }

    @Test
    void rangesAreInBaseUnitsWhateverThePrefix() {
        assertInstanceOf(Verdict.Supports.class, rules.judge(point("V", "voltage.l1"), n("230.1")));
        assertInstanceOf(Verdict.Supports.class, rules.judge(point("kV", "voltage.l1"), n("0.2301")));
        assertInstanceOf(Verdict.Contradicts.class, rules.judge(point("V", "voltage.l1"), n("0")));
        assertInstanceOf(Verdict.Contradicts.class, rules.judge(point("V", "voltage.l1"), n("1.504E-33")));
        assertInstanceOf(Verdict.Supports.class, rules.judge(point("V", "voltage.l12"), n("400")));
        assertInstanceOf(Verdict.Supports.class, rules.judge(point("Hz", "frequency"), n("59.9")));
        assertInstanceOf(Verdict.Contradicts.class, rules.judge(point("Hz", "frequency"), n("500")));
        // weak: in range fits but proves nothing
        assertInstanceOf(Verdict.Consistent.class, rules.judge(point("kWh", "energy.active.import"), n("1456.78")));
        assertInstanceOf(Verdict.Contradicts.class, rules.judge(point("kWh", "energy.active.import"), n("-5")));
        assertInstanceOf(Verdict.Contradicts.class, rules.judge(point("", "pf.total"), n("1.7")));
        assertInstanceOf(Verdict.Consistent.class, rules.judge(point("A", "current.l1"), n("0")));
        // a unit the rule does not know (voltage in %?) says nothing
        assertEquals(null, rules.check(point("%", "voltage.l1")));
        assertInstanceOf(Verdict.Contradicts.class, rules.judge(point("V", "voltage.l1"),
                new PointValue.Invalid("not a finite number: NaN")));
    }

    @Test
    void textIsTellingWhenPrintableAndContradictsWhenItIsReallyNumbers() {
        Point tag = new Point("Tag", new ModbusAddress(Table.HOLDING, 10, DataType.STRING,
                io.edgegateway.point.WordOrder.ABCD, -1, 8), Scaling.NONE, 0, "", BigDecimal.ZERO, Map.of(), "", "");
        assertEquals(new Verdict.Supports("Tag \"TANK-01\""), rules.judge(tag, new PointValue.Text("TANK-01")));
        assertInstanceOf(Verdict.Consistent.class, rules.judge(tag, new PointValue.Text("")));
        assertInstanceOf(Verdict.Contradicts.class, rules.judge(tag, new PointValue.Text("Cf??")));
    }

    @Test
    void enumsMustBeOneOfTheirLabels() {
        DeviceProfile plc = catalog.find("plc").orElseThrow();
        Point state = plc.point("Process State").orElseThrow();
        assertEquals(new Verdict.Consistent("Process State FILLING"), rules.judge(state, n("1")));
        assertEquals(new Verdict.Contradicts("Process State 17254 is none of its states [0, 1, 2, 3]"),
                rules.judge(state, n("17254")));
    }

    @Test
    void absurdNumbersStayReadableInMessages() {
        assertEquals("230.1", Plausibility.compact(new BigDecimal("230.1")));
        assertEquals("1.504E-33", Plausibility.compact(new BigDecimal("1.50424E-33")));
        assertEquals("4.295E+7", Plausibility.compact(new BigDecimal("42949672.9")));
        assertEquals("0", Plausibility.compact(BigDecimal.ZERO));
    }
}
