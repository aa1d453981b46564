package io.edgegateway.point;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointTest {

    private static Point point(int decimals, String unit, String deadband) {
        return new Point("p", ModbusAddress.of(Table.INPUT, 0, DataType.UINT16), Scaling.NONE, decimals, unit,
                new BigDecimal(deadband), Map.of(), "", "");
    }

    private static PointValue n(String v) {
        return new PointValue.Number(new BigDecimal(v));
    }

    @Test
    void displayFollowsTheReadingFormat() {
        assertEquals("230.5 V", point(1, "V", "0").display(n("230.49")));
        assertEquals("1456.78 kWh", point(2, "kWh", "0").display(n("1456.78")));
        assertEquals("250.00", point(2, "", "0").display(n("250")));
        assertEquals("50.1 Hz", point(1, "Hz", "0").display(n("50.05")), "half-up rounding");
        assertEquals("0.000 A", point(3, "A", "0").display(n("0")));
        assertNull(point(1, "V", "0").display(new PointValue.Invalid("NaN")));
    }

    @Test
    void asDecodedKeepsTheValuesOwnDecimals() {
        Point p = point(Point.AS_DECODED, "kWh", "0");
        assertEquals("1456.78 kWh", p.display(n("1456.7800")));
        assertEquals("1200 kWh", p.display(n("1.2E+3")));
    }

    @Test
    void labelsNameStatesAndFlags() {
        Point p = new Point("Mode", ModbusAddress.of(Table.HOLDING, 3, DataType.UINT16), Scaling.NONE, 0, "",
                BigDecimal.ZERO, Map.of(0L, "OFF", 1L, "AUTO"), "", "");
        assertEquals("AUTO", p.display(n("1")));
        assertEquals("7", p.display(n("7")), "unlabelled values show as numbers");
        Point coil = new Point("Pump", ModbusAddress.of(Table.COIL, 0, DataType.BOOL), Scaling.NONE, 0, "",
                BigDecimal.ZERO, Map.of(1L, "ON"), "", "");
        assertEquals("ON", coil.display(new PointValue.Flag(true)));
        assertEquals("0", coil.display(new PointValue.Flag(false)));
    }

    @Test
    void changeNeedsAVisibleMoveBeyondTheDeadband() {
        Point noDeadband = point(1, "V", "0");
        assertFalse(noDeadband.changed(n("230.51"), n("230.54")), "same at one decimal");
        assertTrue(noDeadband.changed(n("230.5"), n("230.6")));

        Point deadband = point(1, "V", "0.5");
        assertFalse(deadband.changed(n("230.0"), n("230.5")), "exactly the deadband is not beyond it");
        assertTrue(deadband.changed(n("230.0"), n("230.6")));
        assertTrue(deadband.changed(null, n("230.0")), "the first value is always news");
        assertTrue(deadband.changed(n("230.0"), new PointValue.Invalid("NaN")));
    }

    @Test
    void aChangeIsWhatTheShownTextWouldSayForEveryKindOfPoint() {
        // The rule is the shown text (and the deadband); numbers are compared without building it. Check the
        // shortcut against the text for a spread of values, rounding edges included.
        Point asDecoded = point(Point.AS_DECODED, "kWh", "0");
        Point labelled = new Point("mode", ModbusAddress.of(Table.HOLDING, 0, DataType.UINT16), Scaling.NONE, 0, "",
                BigDecimal.ZERO, Map.of(1L, "AUTO", 2L, "MANUAL"), "", "");
        List<String> values = List.of("0", "1", "1.0", "1.00", "1.04", "1.05", "1.049", "0.95", "-0.05", "-0.04",
                "2", "230.45", "230.55", "230.5", "1E+1", "10");
        for (Point p : List.of(point(1, "V", "0"), point(0, "", "0"), point(3, "", "0"), asDecoded, labelled)) {
            for (String a : values) {
                for (String b : values) {
                    boolean byText = !p.display(n(a)).equals(p.display(n(b)));
                    assertEquals(byText, p.changed(n(a), n(b)), p.decimals() + " decimals: " + a + " -> " + b);
                }
            }
        }
        assertFalse(asDecoded.changed(n("1.50"), n("1.5")), "as decoded, 1.50 shows as 1.5");
    }

    @Test
    void theFloatingPointShortcutAgreesWithTheDecimalRule() {
        // changed() settles most pairs in binary floating point; near a deadband's edge or a rounding tie it falls
        // back to decimals. Check it against the rule itself (shown text, then the exact deadband) on values as
        // meters give them: float32 readings, ties, exact deadband moves, large counters and negatives.
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        List<String> bands = List.of("0", "0.5", "0.1", "0.01", "2", "0.05");
        int checked = 0;
        for (int decimals : new int[] {0, 1, 2, 3, 6}) {
            for (String band : bands) {
                Point p = point(decimals, "V", band);
                for (int i = 0; i < 4000; i++) {
                    BigDecimal a = sample(random, decimals);
                    BigDecimal b = switch (i % 4) {
                        case 0 -> sample(random, decimals);
                        case 1 -> a.add(new BigDecimal(band)).add(new BigDecimal(random.nextInt(-1, 2))
                                .movePointLeft(decimals + 2)); // at the deadband's edge, and just either side
                        case 2 -> a.add(BigDecimal.ONE.movePointLeft(decimals).multiply(
                                BigDecimal.valueOf(random.nextInt(-3, 4)))); // a few shown steps away
                        default -> new BigDecimal(Float.toString((float) (a.doubleValue()
                                + random.nextDouble(-1, 1) * Math.pow(10, -decimals))));
                    };
                    boolean exactlyWithinBand = new BigDecimal(band).signum() > 0
                            && b.subtract(a).abs().compareTo(new BigDecimal(band)) <= 0;
                    boolean expected = !exactlyWithinBand && !p.display(n(a.toString())).equals(p.display(n(
                            b.toString())));
                    assertEquals(expected, p.changed(n(a.toString()), n(b.toString())),
                            decimals + " decimals, deadband " + band + ": " + a + " -> " + b);
                    checked++;
                }
            }
        }
        assertEquals(5 * bands.size() * 4000, checked);
    }

    /** A value as a meter might give one: a float32 reading, a tie at the shown digits, or a large counter. */
    private static BigDecimal sample(java.util.SplittableRandom random, int decimals) {
        return switch (random.nextInt(4)) {
            case 0 -> new BigDecimal(Float.toString((float) random.nextDouble(-500, 500)));
            case 1 -> BigDecimal.valueOf(random.nextLong(-100_000, 100_000), decimals)
                    .add(new BigDecimal("5").movePointLeft(decimals + 1)); // exactly half a step: a tie
            case 2 -> new BigDecimal(Float.toString((float) random.nextDouble(1e6, 1e9)));
            default -> BigDecimal.valueOf(random.nextLong(1_000_000_000_000L), 3); // an energy counter in kWh
        };
    }
}
