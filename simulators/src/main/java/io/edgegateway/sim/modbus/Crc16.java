package io.edgegateway.sim.modbus;

/**
 * CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF), as "Modbus over serial line" v1.02 section 6.2.2 defines it.
 * On the wire the low byte goes first: the CRC of {@code 01 03 00 00 00 0A} is 0xCDC5, sent as {@code C5 CD}.
 */
public final class Crc16 {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc16() {
    }

    /** The CRC of {@code len} bytes from {@code off}, as an unsigned 16-bit value. */
    public static int of(byte[] data, int off, int len) {
        int crc = 0xFFFF;
        for (int i = off; i < off + len; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]) & 0xFF];
        }
        return crc;
    }

    public static int of(byte[] data) {
        return of(data, 0, data.length);
    }

    /** Whether the last two bytes of {@code frame[off, off+len)} are the CRC of the bytes before them. */
    public static boolean check(byte[] frame, int off, int len) {
        if (len < 3) {
            return false;
        }
        int crc = of(frame, off, len - 2);
        return (frame[off + len - 2] & 0xFF) == (crc & 0xFF) && (frame[off + len - 1] & 0xFF) == (crc >>> 8);
    }
}
