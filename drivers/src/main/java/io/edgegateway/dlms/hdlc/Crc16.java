package io.edgegateway.dlms.hdlc;

/**
 * CRC-16/X.25 (the HDLC FCS): reflected polynomial 0x1021 (0x8408), initial 0xFFFF, final XOR 0xFFFF.
 * Check value of "123456789" is 0x906E. On the wire the low byte goes first.
 */
public final class Crc16 {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc16() {
    }

    public static int of(byte[] data, int offset, int length) {
        int crc = 0xFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]) & 0xFF];
        }
        return crc ^ 0xFFFF;
    }

    public static int of(byte[] data) {
        return of(data, 0, data.length);
    }
}
