package io.edgegateway.sim.model;

import java.util.Locale;

/**
 * Converts a model's base-unit value into the unit a profile point declares: 1234 W shows as 1.234 for a point
 * in kW, 1.5e6 Wh as 1500 for kWh. Units outside the table pass through unchanged.
 */
final class UnitConversion {

    private UnitConversion() {
    }

    static double toPointUnit(double baseValue, String unit) {
        String u = unit.trim();
        if (u.length() >= 2 && (u.charAt(0) == 'k' || u.charAt(0) == 'M') && isScalable(u.substring(1))) {
            return baseValue / (u.charAt(0) == 'k' ? 1e3 : 1e6);
        }
        return baseValue;
    }

    static double fromPointUnit(double pointValue, String unit) {
        String u = unit.trim();
        if (u.length() >= 2 && (u.charAt(0) == 'k' || u.charAt(0) == 'M') && isScalable(u.substring(1))) {
            return pointValue * (u.charAt(0) == 'k' ? 1e3 : 1e6);
        }
        return pointValue;
    }

    private static boolean isScalable(String base) {
        return switch (base.toLowerCase(Locale.ROOT)) {
            case "w", "wh", "va", "vah", "var", "varh", "v", "a" -> true;
            default -> false;
        };
    }
}
