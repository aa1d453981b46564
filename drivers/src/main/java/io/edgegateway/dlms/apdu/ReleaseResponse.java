package io.edgegateway.dlms.apdu;

import java.util.Map;

/** A-RELEASE response (RLRE), reason normal (0). */
public record ReleaseResponse(int reason) implements Apdu {

    public static final int TAG = 0x63;

    @Override
    public byte[] encode() {
        return Ber.tlv(TAG, Ber.tlv(0x80, new byte[] {(byte) reason}));
    }

    static ReleaseResponse decode(byte[] b) {
        Map<Integer, byte[]> e = Ber.elements(Ber.unwrap(b, TAG));
        byte[] r = e.get(0x80);
        return new ReleaseResponse(r == null || r.length == 0 ? 0 : r[0] & 0xFF);
    }
}
