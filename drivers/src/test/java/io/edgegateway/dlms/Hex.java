package io.edgegateway.dlms;

import java.util.HexFormat;

/** Hex strings in tests, spaces allowed. */
public final class Hex {

    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s:-]", ""));
    }

    public static String of(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
