package io.edgegateway.sim.modbus;

import java.util.HexFormat;

/** Byte vectors written as in the specifications: "11 03 00 6B 00 03". */
final class Hex {

    private static final HexFormat FORMAT = HexFormat.ofDelimiter(" ").withUpperCase();

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return FORMAT.parseHex(hex.trim());
    }

    static String hex(byte[] b) {
        return FORMAT.formatHex(b);
    }
}
