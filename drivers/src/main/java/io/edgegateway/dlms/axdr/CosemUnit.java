package io.edgegateway.dlms.axdr;

import java.util.Map;
import java.util.Optional;

/**
 * The physical unit enumeration of a Register's scaler_unit (COSEM interface classes, "unit" enum). Energy comes as
 * Wh, varh, VAh: "kWh" is Wh with scaler 3, so a client converts prefixes itself.
 *
 * @param code the enum value on the wire
 */
public record CosemUnit(int code) {

    /** 255: a count, no unit. */
    public static final CosemUnit COUNT = new CosemUnit(255);

    private static final Map<Integer, String> SYMBOLS = Map.ofEntries(
            Map.entry(1, "a"), Map.entry(2, "mo"), Map.entry(3, "wk"), Map.entry(4, "d"), Map.entry(5, "h"),
            Map.entry(6, "min"), Map.entry(7, "s"), Map.entry(8, "°"), Map.entry(9, "°C"), Map.entry(10, "currency"),
            Map.entry(11, "m"), Map.entry(12, "m/s"), Map.entry(13, "m³"), Map.entry(14, "m³"), Map.entry(15, "m³/h"),
            Map.entry(16, "m³/h"), Map.entry(17, "m³/d"), Map.entry(18, "m³/d"), Map.entry(19, "l"),
            Map.entry(20, "kg"), Map.entry(21, "N"), Map.entry(22, "Nm"), Map.entry(23, "Pa"), Map.entry(24, "bar"),
            Map.entry(25, "J"), Map.entry(26, "J/h"), Map.entry(27, "W"), Map.entry(28, "VA"), Map.entry(29, "var"),
            Map.entry(30, "Wh"), Map.entry(31, "VAh"), Map.entry(32, "varh"), Map.entry(33, "A"), Map.entry(34, "C"),
            Map.entry(35, "V"), Map.entry(36, "V/m"), Map.entry(37, "F"), Map.entry(38, "Ω"), Map.entry(39, "Ωm²/m"),
            Map.entry(40, "Wb"), Map.entry(41, "T"), Map.entry(42, "A/m"), Map.entry(43, "H"), Map.entry(44, "Hz"),
            Map.entry(45, "1/(Wh)"), Map.entry(46, "1/(varh)"), Map.entry(47, "1/(VAh)"), Map.entry(48, "V²h"),
            Map.entry(49, "A²h"), Map.entry(50, "kg/s"), Map.entry(51, "S"), Map.entry(52, "K"),
            Map.entry(53, "1/(V²h)"), Map.entry(54, "1/(A²h)"), Map.entry(55, "1/m³"), Map.entry(56, "%"),
            Map.entry(57, "Ah"), Map.entry(60, "Wh/m³"), Map.entry(61, "J/m³"), Map.entry(62, "Mol %"),
            Map.entry(63, "g/m³"), Map.entry(64, "Pa s"), Map.entry(65, "J/kg"), Map.entry(66, "g/cm²"),
            Map.entry(67, "atm"), Map.entry(70, "dBm"), Map.entry(71, "dBµV"), Map.entry(72, "dB"));

    public CosemUnit {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("unit enum is 0..255, got " + code);
        }
    }

    /**
     * The symbol shown after a number: "V", "Wh", "Hz"; empty for count (255), other (254), currency (10) and
     * codes this table does not know.
     */
    public String symbol() {
        if (code == 10) {
            return "";
        }
        return SYMBOLS.getOrDefault(code, "");
    }

    public boolean known() {
        return SYMBOLS.containsKey(code) || code == 254 || code == 255;
    }

    /** The unit whose symbol is {@code symbol} ("Wh", "V", "m3" for m³), if any. */
    public static Optional<CosemUnit> bySymbol(String symbol) {
        String s = normalise(symbol);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        return SYMBOLS.entrySet().stream().filter(e -> e.getKey() != 10 && normalise(e.getValue()).equals(s))
                .map(e -> new CosemUnit(e.getKey())).min(java.util.Comparator.comparingInt(CosemUnit::code));
    }

    /** Spelling variants installers write: m3 for m³, deg for °, Ohm for Ω. */
    public static String normalise(String unit) {
        return unit.trim().replace("m3", "m³").replace("deg", "°").replace("Ohm", "Ω").replace("ohm", "Ω")
                .replace("VAr", "var").replace("kVAr", "kvar");
    }

    @Override
    public String toString() {
        String s = symbol();
        return s.isEmpty() ? "unit " + code : s;
    }

    /**
     * The power of ten between a unit the meter reports and a point's unit with a decimal prefix: 3 for Wh to kWh,
     * -3 for A to mA, 0 for the same unit or when either is blank; empty when the two are not the same quantity.
     * Polled registers and pushed values are converted by this one rule.
     */
    public static java.util.OptionalInt prefixExponent(String meterUnit, String pointUnit) {
        String m = normalise(meterUnit);
        String u = normalise(pointUnit);
        if (u.isEmpty() || m.isEmpty() || u.equals(m)) {
            return java.util.OptionalInt.of(0);
        }
        if (u.length() == m.length() + 1 && u.endsWith(m)) {
            return switch (u.charAt(0)) {
                case 'k' -> java.util.OptionalInt.of(3);
                case 'M' -> java.util.OptionalInt.of(6);
                case 'G' -> java.util.OptionalInt.of(9);
                case 'm' -> java.util.OptionalInt.of(-3);
                default -> java.util.OptionalInt.empty();
            };
        }
        return java.util.OptionalInt.empty();
    }
}
