package io.edgegateway.dlms.push;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 8-byte system title that names a DLMS party (manufacturer code and serial): the first 8 bytes of every IV
 * its ciphered APDUs use, so it says whose keys decipher a push. Compared by content; shown as 16 hex digits.
 */
public record SystemTitle(byte[] bytes) {

    public static final int SIZE = 8;

    public SystemTitle {
        if (bytes == null || bytes.length != SIZE) {
            throw new IllegalArgumentException("a system title has 8 bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        bytes = bytes.clone();
    }

    /** From 16 hex digits; spaces and colons are ignored. */
    public static SystemTitle parse(String hex) {
        String clean = hex.replaceAll("[\\s:]", "");
        if (clean.length() != 2 * SIZE) {
            throw new IllegalArgumentException("a system title is 16 hex digits, got " + clean.length()
                    + " characters");
        }
        try {
            return new SystemTitle(HexFormat.of().parseHex(clean));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a system title is 16 hex digits, got '" + hex + "'");
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SystemTitle t && Arrays.equals(t.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
