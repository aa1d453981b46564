package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * A-ASSOCIATE request (ACSE AARQ, BER encoded).
 *
 * @param applicationContext   1 = LN referencing without ciphering, 3 = LN with ciphering
 * @param callingApTitle       the client's system title (8 bytes) when ciphering, or null
 * @param mechanism            authentication mechanism id (1 LLS, 5 HLS-GMAC), or null for none
 * @param authenticationValue  LLS password or HLS client-to-server challenge, or null
 * @param userInformation      the xDLMS InitiateRequest, plain or as glo-/ded-initiateRequest
 */
public record Aarq(int applicationContext, byte[] callingApTitle, Integer mechanism, byte[] authenticationValue,
                   byte[] userInformation) implements Apdu {

    public static final int TAG = 0x60;
    public static final int CONTEXT_LN = 1;
    public static final int CONTEXT_LN_CIPHERED = 3;
    public static final int MECHANISM_LLS = 1;
    public static final int MECHANISM_HLS_GMAC = 5;

    @Override
    public byte[] encode() {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        Ber.write(c, 0xA1, Ber.tlv(0x06, Ber.dlmsOid(1, applicationContext)));
        if (callingApTitle != null) {
            Ber.write(c, 0xA6, Ber.tlv(0x04, callingApTitle));
        }
        if (mechanism != null) {
            // sender-acse-requirements: bit-string of one bit, "authentication" set
            Ber.write(c, 0x8A, new byte[] {0x07, (byte) 0x80});
            Ber.write(c, 0x8B, Ber.dlmsOid(2, mechanism));
        }
        if (authenticationValue != null) {
            Ber.write(c, 0xAC, Ber.tlv(0x80, authenticationValue));
        }
        if (userInformation != null) {
            Ber.write(c, 0xBE, Ber.tlv(0x04, userInformation));
        }
        return Ber.tlv(TAG, c.toByteArray());
    }

    static Aarq decode(byte[] b) {
        Map<Integer, byte[]> e = Ber.elements(Ber.unwrap(b, TAG));
        byte[] ctx = e.get(0xA1);
        if (ctx == null) {
            throw new MalformedException("AARQ without application-context-name");
        }
        int context = Ber.dlmsOidLeaf(Ber.explicitOctets(ctx, 0x06), 1);
        byte[] title = e.containsKey(0xA6) ? Ber.explicitOctets(e.get(0xA6), 0x04) : null;
        Integer mech = e.containsKey(0x8B) ? Ber.dlmsOidLeaf(e.get(0x8B), 2) : null;
        byte[] auth = e.containsKey(0xAC) ? Ber.explicitOctets(e.get(0xAC), 0x80) : null;
        byte[] user = e.containsKey(0xBE) ? Ber.explicitOctets(e.get(0xBE), 0x04) : null;
        return new Aarq(context, title, mech, auth, user);
    }
}
