package io.edgegateway.point;

import java.util.Locale;

/**
 * Byte and word order of a multi-register value, named by where the bytes of the big-endian value
 * ABCD land on the wire. Meters disagree: Eastron sends ABCD, Carlo Gavazzi CDAB (low word first).
 * For 64-bit values the same two rules (swap bytes in each word, reverse the words) apply to four words.
 */
public enum WordOrder {
    /** Big-endian: high word first, high byte first. The Modbus default. */
    ABCD(false, false),
    /** Low word first ("word swapped"). */
    CDAB(false, true),
    /** Bytes swapped inside each word. */
    BADC(true, false),
    /** Little-endian. */
    DCBA(true, true);

    private final boolean swapBytes;
    private final boolean reverseWords;

    WordOrder(boolean swapBytes, boolean reverseWords) {
        this.swapBytes = swapBytes;
        this.reverseWords = reverseWords;
    }

    public boolean swapBytes() {
        return swapBytes;
    }

    public boolean reverseWords() {
        return reverseWords;
    }

    /**
     * Reorders wire bytes into big-endian order (or back: the operation is its own inverse).
     *
     * @param wire bytes as they arrived, two per register
     * @return a new array in big-endian (ABCD...) order
     */
    public byte[] toBigEndian(byte[] wire) {
        int n = wire.length;
        if (n % 2 != 0) {
            throw new IllegalArgumentException("register data must have an even length, got " + n);
        }
        byte[] out = new byte[n];
        int words = n / 2;
        for (int w = 0; w < words; w++) {
            int src = reverseWords ? (words - 1 - w) : w;
            byte hi = wire[2 * src];
            byte lo = wire[2 * src + 1];
            out[2 * w] = swapBytes ? lo : hi;
            out[2 * w + 1] = swapBytes ? hi : lo;
        }
        return out;
    }

    public static WordOrder parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        return switch (t) {
            case "ABCD", "BIG", "BIG_ENDIAN", "ABCDEFGH" -> ABCD;
            case "CDAB", "WORD_SWAP", "LOW_WORD_FIRST", "GHEFCDAB" -> CDAB;
            case "BADC", "BYTE_SWAP", "BADCFEHG" -> BADC;
            case "DCBA", "LITTLE", "LITTLE_ENDIAN", "HGFEDCBA" -> DCBA;
            default -> throw new IllegalArgumentException(
                    "unknown byte/word order '" + text + "' (expected ABCD, CDAB, BADC or DCBA)");
        };
    }
}
