package io.edgegateway.dlms.client;

import java.util.Locale;

/** How APDUs reach the meter. */
public enum Transport {
    /** IEC 62056-47 wrapper over TCP (usually port 4059). */
    WRAPPER_TCP("wrapper-tcp"),
    /** HDLC frames over TCP (a serial-to-Ethernet converter, or meters that speak HDLC on TCP). */
    HDLC_TCP("hdlc-tcp"),
    /** HDLC on a serial line: RS-485, or an optical head with an optional IEC 62056-21 mode E handshake. */
    HDLC_SERIAL("hdlc-serial");

    private final String configName;

    Transport(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public boolean tcp() {
        return this != HDLC_SERIAL;
    }

    public boolean hdlc() {
        return this != WRAPPER_TCP;
    }

    public static Transport parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "wrapper-tcp", "wrapper", "tcp" -> WRAPPER_TCP;
            case "hdlc-tcp" -> HDLC_TCP;
            case "hdlc-serial", "serial", "hdlc" -> HDLC_SERIAL;
            default -> throw new IllegalArgumentException("unknown DLMS transport '" + text
                    + "' (expected wrapper-tcp, hdlc-tcp or hdlc-serial)");
        };
    }
}
