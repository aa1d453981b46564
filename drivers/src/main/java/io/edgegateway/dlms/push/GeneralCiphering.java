package io.edgegateway.dlms.push;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;
import io.edgegateway.dlms.security.Ciphering;

import java.util.Arrays;

/**
 * general-glo-ciphering (tag 0xDB) or general-ded-ciphering (0xDC): the tag, the sender's system title (an OCTET
 * STRING with its length), then the ciphered content (an OCTET STRING: security control byte, invocation counter,
 * ciphertext followed by the 12-byte tag when authenticated). Unlike the service-specific glo- tags it names its
 * sender, which is what lets a listener pick the keys of an unsolicited push.
 *
 * @param tag               0xDB or 0xDC
 * @param systemTitle       the sender's
 * @param securityControl   SC byte: 0x10 authenticated, 0x20 encrypted, 0x30 both; 0x40 broadcast key; 0x80
 *                          compressed; low nibble the suite
 * @param invocationCounter the sender's frame counter, the IV's last 4 bytes
 * @param cipherText        ciphertext and tag
 */
public record GeneralCiphering(int tag, SystemTitle systemTitle, int securityControl, long invocationCounter,
                               byte[] cipherText) {

    public static final int GLO = 0xDB;
    public static final int DED = 0xDC;

    public GeneralCiphering {
        if (tag != GLO && tag != DED) {
            throw new IllegalArgumentException("not a general-ciphering tag: 0x" + Integer.toHexString(tag));
        }
        cipherText = cipherText.clone();
    }

    /** Protects {@code plainApdu} as a sender with {@code systemTitle} does: general-glo-ciphering. */
    public static GeneralCiphering glo(Ciphering keys, int securityControl, SystemTitle systemTitle,
                                       long invocationCounter, byte[] plainApdu) {
        return new GeneralCiphering(GLO, systemTitle, securityControl, invocationCounter,
                keys.protect(securityControl, systemTitle.bytes(), invocationCounter, plainApdu));
    }

    public static boolean isGeneralCipheringTag(int tag) {
        return tag == GLO || tag == DED;
    }

    public boolean dedicated() {
        return tag == DED;
    }

    public byte[] encode() {
        byte[] content = new AxdrWriter().u8(securityControl).u32(invocationCounter).bytes(cipherText).toByteArray();
        return new AxdrWriter().u8(tag).octetString(systemTitle.bytes()).octetString(content).toByteArray();
    }

    public static GeneralCiphering decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        int tag = r.u8();
        if (!isGeneralCipheringTag(tag)) {
            throw new MalformedException("not general-glo/ded-ciphering: tag 0x" + Integer.toHexString(tag));
        }
        byte[] title = r.octetString();
        if (title.length != SystemTitle.SIZE) {
            throw new MalformedException("system title of " + title.length + " bytes (8)");
        }
        int len = r.length();
        if (len != r.remaining() || len < 5) {
            throw new MalformedException("ciphered content of " + len + " bytes but " + r.remaining() + " follow");
        }
        int sc = r.u8();
        long ic = r.u32();
        return new GeneralCiphering(tag, new SystemTitle(title), sc, ic, r.rest());
    }

    @Override
    public byte[] cipherText() {
        return cipherText.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneralCiphering g && g.tag == tag && g.systemTitle.equals(systemTitle)
                && g.securityControl == securityControl && g.invocationCounter == invocationCounter
                && Arrays.equals(g.cipherText, cipherText);
    }

    @Override
    public int hashCode() {
        return systemTitle.hashCode() * 31 + Arrays.hashCode(cipherText);
    }
}
