package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

import java.util.Arrays;

/**
 * A glo- or ded- ciphered xDLMS APDU: tag, length, then the security header (security control byte and
 * invocation counter) and the ciphered text with its authentication tag. Deciphering is
 * {@link io.edgegateway.dlms.security.Ciphering}'s job.
 *
 * @param tag              e.g. 0xC8 glo-get-request, 0xD0 ded-get-request
 * @param securityControl  SC byte: 0x10 authenticated, 0x20 encrypted, 0x30 both; low nibble the suite (0)
 * @param invocationCounter the sender's frame counter
 * @param cipherText       ciphered APDU followed by the 12-byte tag (when authenticated)
 */
public record CipheredApdu(int tag, int securityControl, long invocationCounter, byte[] cipherText) implements Apdu {

    /** The plain tag of each glo-/ded- tag: glo = plain + 8, ded = plain + 16 for the xDLMS services. */
    public static int plainTagOf(int cipheredTag) {
        return switch (cipheredTag) {
            case 0x21, 0x22 -> 0x01; // glo-/ded-initiateRequest
            case 0x28, 0x29 -> 0x08; // glo-/ded-initiateResponse
            case 0xC8, 0xD0 -> 0xC0;
            case 0xCC, 0xD4 -> 0xC4;
            case 0xCB, 0xD3 -> 0xC3;
            case 0xCF, 0xD7 -> 0xC7;
            case 0xC9, 0xD1 -> 0xC1;
            case 0xCD, 0xD5 -> 0xC5;
            default -> -1;
        };
    }

    /** The ciphered tag for a plain tag, glo- or ded-. */
    public static int cipheredTagOf(int plainTag, boolean dedicated) {
        return switch (plainTag) {
            case 0x01 -> dedicated ? 0x22 : 0x21;
            case 0x08 -> dedicated ? 0x29 : 0x28;
            case 0xC0, 0xC1, 0xC3, 0xC4, 0xC5, 0xC7 -> plainTag + (dedicated ? 0x10 : 0x08);
            default -> throw new IllegalArgumentException("no ciphered form of APDU tag 0x" + Integer.toHexString(plainTag));
        };
    }

    public static boolean isCipheredTag(int tag) {
        return plainTagOf(tag) >= 0;
    }

    public boolean dedicated() {
        return tag == 0x22 || tag == 0x29 || (tag >= 0xD0 && tag <= 0xD7);
    }

    @Override
    public byte[] encode() {
        byte[] body = new AxdrWriter().u8(securityControl).u32(invocationCounter).bytes(cipherText).toByteArray();
        return new AxdrWriter().u8(tag).octetString(body).toByteArray();
    }

    public static CipheredApdu decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        int tag = r.u8();
        if (!isCipheredTag(tag)) {
            throw new MalformedException("not a ciphered APDU tag 0x" + Integer.toHexString(tag));
        }
        int len = r.length();
        if (len != r.remaining() || len < 5) {
            throw new MalformedException("ciphered APDU length " + len + " but " + r.remaining() + " bytes follow");
        }
        int sc = r.u8();
        long ic = r.u32();
        return new CipheredApdu(tag, sc, ic, r.rest());
    }

    @Override
    public byte[] cipherText() {
        return cipherText.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CipheredApdu c && c.tag == tag && c.securityControl == securityControl
                && c.invocationCounter == invocationCounter && Arrays.equals(c.cipherText, cipherText);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cipherText) + tag;
    }
}
