package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

/**
 * xDLMS InitiateResponse, in the AARE user-information.
 *
 * @param negotiatedQuality negotiated-quality-of-service, or null
 * @param dlmsVersion       negotiated DLMS version (6)
 * @param conformance       the services both sides support
 * @param maxReceivePduSize the largest APDU the server accepts
 * @param vaaName           0x0007 for logical-name referencing, 0xFA00 for short names
 */
public record InitiateResponse(Integer negotiatedQuality, int dlmsVersion, Conformance conformance,
                               int maxReceivePduSize, int vaaName) {

    public static final int TAG = 0x08;
    public static final int VAA_LOGICAL_NAMES = 0x0007;

    public byte[] encode() {
        AxdrWriter w = new AxdrWriter().u8(TAG);
        if (negotiatedQuality == null) {
            w.u8(0);
        } else {
            w.u8(1).u8(negotiatedQuality);
        }
        return w.u8(dlmsVersion).bytes(conformance.encode()).u16(maxReceivePduSize).u16(vaaName).toByteArray();
    }

    public static InitiateResponse decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        if (r.u8() != TAG) {
            throw new MalformedException("not an InitiateResponse (tag 0x" + Integer.toHexString(b[0] & 0xFF) + ")");
        }
        Integer quality = r.u8() != 0 ? r.u8() : null;
        int version = r.u8();
        Conformance c = Conformance.decode(r);
        int max = r.u16();
        int vaa = r.u16();
        r.expectEnd();
        return new InitiateResponse(quality, version, c, max, vaa);
    }
}
