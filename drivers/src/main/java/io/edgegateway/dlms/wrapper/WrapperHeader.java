package io.edgegateway.dlms.wrapper;

import io.edgegateway.dlms.MalformedException;

/**
 * The wrapper header.
 *
 * @param version         always 1
 * @param sourcePort      sender's wPort (client SAP, or server logical address)
 * @param destinationPort receiver's wPort
 * @param length          APDU bytes that follow
 */
public record WrapperHeader(int version, int sourcePort, int destinationPort, int length) {

    public static final int VERSION = 1;
    public static final int SIZE = 8;

    public WrapperHeader {
        for (int v : new int[] {version, sourcePort, destinationPort, length}) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("wrapper header fields are 16-bit");
            }
        }
    }

    public byte[] encode() {
        return new byte[] {(byte) (version >> 8), (byte) version, (byte) (sourcePort >> 8), (byte) sourcePort,
                (byte) (destinationPort >> 8), (byte) destinationPort, (byte) (length >> 8), (byte) length};
    }

    /** Header and APDU in one array. */
    public static byte[] frame(int sourcePort, int destinationPort, byte[] apdu) {
        byte[] h = new WrapperHeader(VERSION, sourcePort, destinationPort, apdu.length).encode();
        byte[] out = new byte[SIZE + apdu.length];
        System.arraycopy(h, 0, out, 0, SIZE);
        System.arraycopy(apdu, 0, out, SIZE, apdu.length);
        return out;
    }

    public static WrapperHeader decode(byte[] b) {
        if (b.length < SIZE) {
            throw new MalformedException("wrapper header needs 8 bytes, got " + b.length);
        }
        int version = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        if (version != VERSION) {
            throw new MalformedException("wrapper version " + version + " (expected 1): not a DLMS wrapper stream");
        }
        return new WrapperHeader(version, ((b[2] & 0xFF) << 8) | (b[3] & 0xFF), ((b[4] & 0xFF) << 8) | (b[5] & 0xFF),
                ((b[6] & 0xFF) << 8) | (b[7] & 0xFF));
    }
}
