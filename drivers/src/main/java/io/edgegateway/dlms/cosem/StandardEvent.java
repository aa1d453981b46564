package io.edgegateway.dlms.cosem;

import java.util.Map;
import java.util.Optional;

/**
 * Names of the event codes meters log in the standard event log (0.0.99.98.0.255), as the DLMS UA companion
 * specifications for electricity meters (IDIS) number them. Codes outside this table are manufacturer-specific.
 */
public final class StandardEvent {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "power down"),
            Map.entry(2, "power up"),
            Map.entry(3, "daylight saving time changed"),
            Map.entry(4, "clock adjusted (old date/time)"),
            Map.entry(5, "clock adjusted (new date/time)"),
            Map.entry(6, "clock invalid"),
            Map.entry(7, "replace battery"),
            Map.entry(8, "battery voltage low"),
            Map.entry(9, "TOU activated"),
            Map.entry(10, "error register cleared"),
            Map.entry(11, "alarm register cleared"),
            Map.entry(12, "program memory error"),
            Map.entry(13, "RAM error"),
            Map.entry(14, "NV memory error"),
            Map.entry(15, "watchdog error"),
            Map.entry(16, "measurement system error"),
            Map.entry(17, "firmware ready for activation"),
            Map.entry(18, "firmware activated"),
            Map.entry(40, "terminal cover opened"),
            Map.entry(41, "terminal cover closed"),
            Map.entry(42, "strong DC field detected"),
            Map.entry(43, "no strong DC field anymore"),
            Map.entry(44, "meter cover opened"),
            Map.entry(45, "meter cover closed"),
            Map.entry(46, "association authentication failure"),
            Map.entry(47, "decryption or authentication failure"),
            Map.entry(48, "replay attack"));

    private StandardEvent() {
    }

    public static Optional<String> name(int code) {
        return Optional.ofNullable(NAMES.get(code));
    }

    /** Event logs are the Profile Generics a.b.99.98.e.f; every other one holds intervals. */
    public static boolean isEventLog(io.edgegateway.dlms.ObisCode profile) {
        return profile.c() == 99 && profile.d() == 98;
    }

    /** The event code object of a log's rows (0.b.96.11.e.255), whose value this table names. */
    public static boolean isEventCode(io.edgegateway.dlms.ObisCode obis) {
        return obis.c() == 96 && obis.d() == 11;
    }
}
