package io.edgegateway.dlms.security;

import io.edgegateway.dlms.apdu.CipheredApdu;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Security suite 0 (AES-GCM-128, 12-byte tag). The IV is the sender's system title (8 bytes) followed by its
 * invocation counter (4 bytes). The additional authenticated data is the security control byte and the
 * authentication key, followed by the plaintext when the APDU is authenticated but not encrypted (and by the
 * challenge in HLS-GMAC).
 *
 * <p>Holds the keys; never logs them and {@link #toString()} does not show them.
 */
public final class Ciphering {

    /** Security control: authenticated only. */
    public static final int AUTHENTICATED = 0x10;
    /** Security control: encrypted only. */
    public static final int ENCRYPTED = 0x20;
    /** Security control: authenticated and encrypted. */
    public static final int AUTHENTICATED_ENCRYPTED = 0x30;

    private static final int TAG_BYTES = 12;

    private final byte[] blockCipherKey;
    private final byte[] authenticationKey;

    public Ciphering(byte[] blockCipherKey, byte[] authenticationKey) {
        if (blockCipherKey == null || blockCipherKey.length != 16) {
            throw new IllegalArgumentException("the block cipher key must be 16 bytes (AES-128)");
        }
        if (authenticationKey == null || authenticationKey.length != 16) {
            throw new IllegalArgumentException("the authentication key must be 16 bytes");
        }
        this.blockCipherKey = blockCipherKey.clone();
        this.authenticationKey = authenticationKey.clone();
    }

    /** The same authentication key with another block cipher key (a dedicated key). */
    public Ciphering withBlockCipherKey(byte[] key) {
        return new Ciphering(key, authenticationKey);
    }

    /**
     * Protects {@code plaintext}.
     *
     * @return ciphertext (or the plaintext when not encrypted) followed by the tag (when authenticated)
     */
    public byte[] protect(int securityControl, byte[] systemTitle, long invocationCounter, byte[] plaintext) {
        boolean auth = (securityControl & AUTHENTICATED) != 0;
        boolean enc = (securityControl & ENCRYPTED) != 0;
        try {
            if (enc) {
                Cipher c = gcm(Cipher.ENCRYPT_MODE, systemTitle, invocationCounter);
                if (auth) {
                    c.updateAAD(aad(securityControl, null));
                    return c.doFinal(plaintext);
                }
                // Encryption only: GCM's keystream without the tag.
                byte[] out = c.doFinal(plaintext);
                return Arrays.copyOf(out, plaintext.length);
            }
            if (auth) {
                Cipher c = gcm(Cipher.ENCRYPT_MODE, systemTitle, invocationCounter);
                c.updateAAD(aad(securityControl, plaintext));
                byte[] tag = c.doFinal();
                return concat(plaintext, tag);
            }
            return plaintext.clone();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JDK", e);
        }
    }

    /** Checks and removes protection; the inverse of {@link #protect}. */
    public byte[] unprotect(int securityControl, byte[] systemTitle, long invocationCounter, byte[] protectedText)
            throws CipheringException {
        boolean auth = (securityControl & AUTHENTICATED) != 0;
        boolean enc = (securityControl & ENCRYPTED) != 0;
        if ((securityControl & 0x0F) != 0) {
            throw new CipheringException("security suite " + (securityControl & 0x0F) + " is not supported (only 0)", null);
        }
        try {
            if (enc && auth) {
                Cipher c = gcm(Cipher.DECRYPT_MODE, systemTitle, invocationCounter);
                c.updateAAD(aad(securityControl, null));
                return c.doFinal(protectedText);
            }
            if (enc) {
                // Encrypt-only: regenerate the keystream by encrypting, then XOR (GCM's CTR part is symmetric).
                Cipher c = gcm(Cipher.ENCRYPT_MODE, systemTitle, invocationCounter);
                byte[] ks = c.doFinal(new byte[protectedText.length]);
                byte[] out = new byte[protectedText.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) (protectedText[i] ^ ks[i]);
                }
                return out;
            }
            if (auth) {
                if (protectedText.length < TAG_BYTES) {
                    throw new CipheringException("authenticated APDU shorter than its tag", null);
                }
                byte[] plain = Arrays.copyOf(protectedText, protectedText.length - TAG_BYTES);
                byte[] tag = Arrays.copyOfRange(protectedText, plain.length, protectedText.length);
                byte[] expect = Arrays.copyOfRange(protect(securityControl, systemTitle, invocationCounter, plain),
                        plain.length, plain.length + TAG_BYTES);
                if (!MessageDigest.isEqual(tag, expect)) {
                    throw new CipheringException("authentication tag mismatch (wrong authentication key?)", null);
                }
                return plain;
            }
            return protectedText.clone();
        } catch (AEADBadTagException e) {
            throw new CipheringException("authentication tag mismatch (wrong keys or a tampered APDU)", e);
        } catch (GeneralSecurityException e) {
            throw new CipheringException("cannot decipher: " + e.getMessage(), e);
        }
    }

    /** Ciphers a plain xDLMS APDU into its glo- (or ded-) form. */
    public CipheredApdu wrap(byte[] plainApdu, int securityControl, byte[] systemTitle, long invocationCounter,
                             boolean dedicated) {
        int tag = CipheredApdu.cipheredTagOf(plainApdu[0] & 0xFF, dedicated);
        return new CipheredApdu(tag, securityControl, invocationCounter,
                protect(securityControl, systemTitle, invocationCounter, plainApdu));
    }

    /** Deciphers a glo-/ded- APDU sent by the party with {@code senderSystemTitle}. */
    public byte[] unwrap(CipheredApdu apdu, byte[] senderSystemTitle) throws CipheringException {
        byte[] plain = unprotect(apdu.securityControl(), senderSystemTitle, apdu.invocationCounter(), apdu.cipherText());
        if (plain.length == 0 || (plain[0] & 0xFF) != CipheredApdu.plainTagOf(apdu.tag())) {
            throw new CipheringException("deciphered APDU does not match its ciphered tag", null);
        }
        return plain;
    }

    /**
     * HLS-GMAC answer to a challenge: f(challenge) = SC 0x10 || IC || GMAC(IV = systemTitle || IC,
     * AAD = SC || AK || challenge), 17 bytes.
     */
    public byte[] hlsAnswer(byte[] systemTitle, long invocationCounter, byte[] challenge) {
        byte[] tagged = protect(AUTHENTICATED, systemTitle, invocationCounter, challenge);
        byte[] tag = Arrays.copyOfRange(tagged, challenge.length, tagged.length);
        return ByteBuffer.allocate(1 + 4 + TAG_BYTES).put((byte) AUTHENTICATED).putInt((int) invocationCounter)
                .put(tag).array();
    }

    /** Checks an HLS-GMAC answer from the party with {@code systemTitle} to {@code challenge}. */
    public boolean verifyHlsAnswer(byte[] answer, byte[] systemTitle, byte[] challenge) {
        if (answer == null || answer.length != 17 || (answer[0] & 0xFF) != AUTHENTICATED) {
            return false;
        }
        long ic = ByteBuffer.wrap(answer, 1, 4).getInt() & 0xFFFF_FFFFL;
        return MessageDigest.isEqual(answer, hlsAnswer(systemTitle, ic, challenge));
    }

    /** The invocation counter inside an HLS answer. */
    public static long hlsAnswerCounter(byte[] answer) {
        return ByteBuffer.wrap(answer, 1, 4).getInt() & 0xFFFF_FFFFL;
    }

    private Cipher gcm(int mode, byte[] systemTitle, long invocationCounter) throws GeneralSecurityException {
        if (systemTitle == null || systemTitle.length != 8) {
            throw new IllegalArgumentException("a system title has 8 bytes");
        }
        byte[] iv = ByteBuffer.allocate(12).put(systemTitle).putInt((int) invocationCounter).array();
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(blockCipherKey, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
        return c;
    }

    private byte[] aad(int securityControl, byte[] extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(securityControl);
        out.writeBytes(authenticationKey);
        if (extra != null) {
            out.writeBytes(extra);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "Ciphering[suite 0, keys hidden]";
    }
}
