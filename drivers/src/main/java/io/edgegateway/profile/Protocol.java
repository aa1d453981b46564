package io.edgegateway.profile;

import java.util.Locale;

/** The protocol family a profile's points are addressed in. */
public enum Protocol {
    MODBUS, DLMS;

    public static Protocol parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "modbus" -> MODBUS;
            case "dlms", "cosem", "dlms/cosem" -> DLMS;
            default -> throw new IllegalArgumentException("unknown protocol '" + text + "' (expected modbus or dlms)");
        };
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
