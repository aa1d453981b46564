package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

/**
 * xDLMS InitiateRequest, carried (plain or ciphered) in the AARQ user-information.
 *
 * @param dedicatedKey      key for ded- ciphering during this association, or null
 * @param responseAllowed   false for unconfirmed associations
 * @param proposedQuality   proposed-quality-of-service, or null
 * @param dlmsVersion       6 for DLMS version 6
 * @param conformance       services the client proposes
 * @param maxReceivePduSize the largest APDU the client accepts (0 = no limit given)
 */
public record InitiateRequest(byte[] dedicatedKey, boolean responseAllowed, Integer proposedQuality, int dlmsVersion,
                              Conformance conformance, int maxReceivePduSize) {

    public static final int TAG = 0x01;

    public byte[] encode() {
        AxdrWriter w = new AxdrWriter().u8(TAG);
        if (dedicatedKey == null) {
            w.u8(0);
        } else {
            w.u8(1).octetString(dedicatedKey);
        }
        // response-allowed is DEFAULT TRUE: the default is sent as "absent".
        if (responseAllowed) {
            w.u8(0);
        } else {
            w.u8(1).u8(0);
        }
        if (proposedQuality == null) {
            w.u8(0);
        } else {
            w.u8(1).u8(proposedQuality);
        }
        return w.u8(dlmsVersion).bytes(conformance.encode()).u16(maxReceivePduSize).toByteArray();
    }

    public static InitiateRequest decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        if (r.u8() != TAG) {
            throw new MalformedException("not an InitiateRequest (tag 0x" + Integer.toHexString(b[0] & 0xFF) + ")");
        }
        byte[] key = r.u8() != 0 ? r.octetString() : null;
        boolean allowed = r.u8() == 0 || r.u8() != 0;
        Integer quality = r.u8() != 0 ? r.u8() : null;
        int version = r.u8();
        Conformance c = Conformance.decode(r);
        int max = r.u16();
        r.expectEnd();
        return new InitiateRequest(key, allowed, quality, version, c, max);
    }
}
