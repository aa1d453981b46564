package io.edgegateway.dlms.client;

import java.util.Locale;

/** How the client authenticates to the meter. */
public enum Authentication {
    /** Lowest level: no authentication (the public client, SAP 16). */
    NONE("none"),
    /** Low level security: a password in the AARQ. */
    LLS("lls"),
    /**
     * High level security mechanism 5 (GMAC), with every xDLMS APDU authenticated and encrypted by security
     * suite 0 (AES-GCM-128).
     */
    HLS_GMAC("hls-gmac");

    private final String configName;

    Authentication(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Authentication parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "none", "public", "lowest" -> NONE;
            case "lls", "low", "password" -> LLS;
            case "hls-gmac", "hls5", "hls", "gmac", "hls-5" -> HLS_GMAC;
            default -> throw new IllegalArgumentException("unknown authentication '" + text
                    + "' (expected none, lls or hls-gmac)");
        };
    }
}
