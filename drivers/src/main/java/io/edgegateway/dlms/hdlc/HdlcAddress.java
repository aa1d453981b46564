package io.edgegateway.dlms.hdlc;

import io.edgegateway.dlms.MalformedException;

import java.io.ByteArrayOutputStream;

/**
 * An HDLC address of 1, 2 or 4 bytes. Each byte carries 7 address bits above an extension bit that is 1 only in
 * the last byte. A client address is one byte (its SAP: 16 public, 1 management...). A server address has an upper
 * part (logical device, 1 = management logical device) and, with 2 or 4 bytes, a lower part (physical device,
 * often derived from the serial number): 7+7 bits in 2 bytes, 14+14 bits in 4.
 *
 * @param upper logical address (or the client SAP)
 * @param lower physical address; 0 for a 1-byte address
 * @param size  1, 2 or 4
 */
public record HdlcAddress(int upper, int lower, int size) {

    public HdlcAddress {
        switch (size) {
            case 1 -> {
                if (upper < 0 || upper > 0x7F || lower != 0) {
                    throw new IllegalArgumentException("a 1-byte HDLC address is 0..127 with no lower part");
                }
            }
            case 2 -> {
                if (upper < 0 || upper > 0x7F || lower < 0 || lower > 0x7F) {
                    throw new IllegalArgumentException("a 2-byte HDLC address has upper and lower parts 0..127");
                }
            }
            case 4 -> {
                if (upper < 0 || upper > 0x3FFF || lower < 0 || lower > 0x3FFF) {
                    throw new IllegalArgumentException("a 4-byte HDLC address has upper and lower parts 0..16383");
                }
            }
            default -> throw new IllegalArgumentException("HDLC addresses have 1, 2 or 4 bytes, not " + size);
        }
    }

    /** A client address (one byte). */
    public static HdlcAddress client(int sap) {
        return new HdlcAddress(sap, 0, 1);
    }

    /**
     * A server address: one byte when there is no physical address ({@code lower} 0 and size 0 = automatic),
     * otherwise 2 bytes when both parts fit in 7 bits, else 4.
     */
    public static HdlcAddress server(int upper, int lower, int size) {
        if (size == 0) {
            size = lower == 0 ? 1 : (upper <= 0x7F && lower <= 0x7F ? 2 : 4);
        }
        return new HdlcAddress(upper, lower, size);
    }

    void write(ByteArrayOutputStream out) {
        switch (size) {
            case 1 -> out.write((upper << 1) | 1);
            case 2 -> {
                out.write(upper << 1);
                out.write((lower << 1) | 1);
            }
            default -> {
                out.write(((upper >> 7) & 0x7F) << 1);
                out.write((upper & 0x7F) << 1);
                out.write(((lower >> 7) & 0x7F) << 1);
                out.write(((lower & 0x7F) << 1) | 1);
            }
        }
    }

    /** Reads an address at {@code offset}; its size is found from the extension bits. */
    static HdlcAddress read(byte[] b, int offset, int limit) {
        int n = 0;
        while (true) {
            if (offset + n >= limit) {
                throw new MalformedException("HDLC address runs past the header");
            }
            if ((b[offset + n] & 1) == 1) {
                n++;
                break;
            }
            n++;
            if (n > 4) {
                throw new MalformedException("HDLC address longer than 4 bytes");
            }
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = (b[offset + i] & 0xFF) >> 1;
        }
        return switch (n) {
            case 1 -> new HdlcAddress(v[0], 0, 1);
            case 2 -> new HdlcAddress(v[0], v[1], 2);
            case 4 -> new HdlcAddress((v[0] << 7) | v[1], (v[2] << 7) | v[3], 4);
            default -> throw new MalformedException("HDLC address of " + n + " bytes (1, 2 or 4 allowed)");
        };
    }

    /** Same device, whatever the encoded size. */
    public boolean sameAs(HdlcAddress other) {
        return upper == other.upper && lower == other.lower;
    }

    @Override
    public String toString() {
        return size == 1 ? Integer.toString(upper) : upper + "/" + lower + " (" + size + " bytes)";
    }
}
