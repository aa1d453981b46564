package io.edgegateway.dlms.push;

import io.edgegateway.dlms.Hex;
import io.edgegateway.dlms.security.Ciphering;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ciphered pushes with the DLMS UA Green Book example keys (block cipher key 000102..0F, authentication key
 * D0D1..DF, system title 4D4D4D0000BC614E; CipheringTest checks the cipher against the published vector).
 */
class PushDecoderTest {

    static final byte[] EK = Hex.bytes("000102030405060708090A0B0C0D0E0F");
    static final byte[] AK = Hex.bytes("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    static final SystemTitle METER = SystemTitle.parse("4D4D4D0000BC614E");
    static final Ciphering KEYS = new Ciphering(EK, AK);
    static final byte[] PLAIN = Hex.bytes(DataNotificationTest.VECTOR);

    private final PushDecoder decoder = new PushDecoder(PushKeys.of(Map.of(METER, KEYS)), false);

    static byte[] ciphered(Ciphering keys, SystemTitle sender, int sc, long ic) {
        return GeneralCiphering.glo(keys, sc, sender, ic, PLAIN).encode();
    }

    @Test
    void generalGloCipheringIsLaidOutAsDefined() {
        byte[] apdu = ciphered(KEYS, METER, Ciphering.AUTHENTICATED_ENCRYPTED, 0x01234567L);
        int content = 1 + 4 + PLAIN.length + 12;
        String head = "DB"                              // general-glo-ciphering [219]
                + "08" + "4D4D4D0000BC614E"             // system-title: OCTET STRING (8), the meter's
                + String.format("%02X", content)        // ciphered-content: OCTET STRING
                + "30"                                  //   security control: authenticated and encrypted, suite 0
                + "01234567";                           //   invocation counter
        assertEquals(head, Hex.of(Arrays.copyOf(apdu, head.length() / 2)));
        assertEquals(head.length() / 2 + PLAIN.length + 12, apdu.length, "ciphertext as long as the plaintext + tag");
        byte[] body = Arrays.copyOfRange(apdu, head.length() / 2, apdu.length);
        assertArrayEquals(KEYS.protect(0x30, METER.bytes(), 0x01234567L, PLAIN), body,
                "AES-GCM with IV = system title || invocation counter, AAD = SC || AK");
        assertEquals(GeneralCiphering.decode(apdu), GeneralCiphering.glo(KEYS, 0x30, METER, 0x01234567L, PLAIN));
    }

    @Test
    void aCipheredPushRoundTrips() throws Exception {
        Push p = decoder.decode(ciphered(KEYS, METER, Ciphering.AUTHENTICATED_ENCRYPTED, 0x01234567L));
        assertEquals(DataNotificationTest.expected(), p.notification());
        assertEquals(METER, p.sender().orElseThrow());
        assertEquals(0x01234567L, p.invocationCounter());
        assertEquals(0x01234567L, decoder.lastCounter(METER).getAsLong());
        // Authenticated only (plaintext visible, tag over it) is taken as well.
        assertEquals(DataNotificationTest.expected(), decoder.decode(ciphered(KEYS, METER, Ciphering.AUTHENTICATED,
                0x01234568L)).notification());
    }

    @Test
    void everyFlippedBitIsRefused() {
        byte[] good = ciphered(KEYS, METER, Ciphering.AUTHENTICATED_ENCRYPTED, 5);
        int sc = 1 + 1 + 8 + 1; // tag, system title with its length, the content's length
        for (int i = sc; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            PushRefusedException e = assertThrows(PushRefusedException.class, () -> decoder.decode(bad), "byte " + i);
            // SC 0x30 -> 0x31 names security suite 1; any other bit breaks the tag (the counter is in the IV).
            assertEquals(i == sc ? PushRefusedException.Reason.MALFORMED : PushRefusedException.Reason.BAD_TAG,
                    e.reason(), "byte " + i + ": " + e.getMessage());
        }
        assertTrue(decoder.lastCounter(METER).isEmpty(), "no forged push moved the counter");
    }

    @Test
    void aWrongKeyIsABadTag() {
        Ciphering other = new Ciphering(EK, Hex.bytes("00000000000000000000000000000000"));
        PushRefusedException e = assertThrows(PushRefusedException.class,
                () -> decoder.decode(ciphered(other, METER, Ciphering.AUTHENTICATED_ENCRYPTED, 1)));
        assertEquals(PushRefusedException.Reason.BAD_TAG, e.reason());
        assertEquals(METER, e.sender().orElseThrow());
        assertTrue(e.getMessage().contains("4D4D4D0000BC614E"), e.getMessage());
    }

    @Test
    void anUnknownSystemTitleIsRefused() {
        SystemTitle stranger = SystemTitle.parse("4D4D4D0000000001");
        PushRefusedException e = assertThrows(PushRefusedException.class,
                () -> decoder.decode(ciphered(KEYS, stranger, Ciphering.AUTHENTICATED_ENCRYPTED, 1)));
        assertEquals(PushRefusedException.Reason.UNKNOWN_SENDER, e.reason());
        assertEquals("system title 4D4D4D0000000001 is not a configured push device", e.getMessage());
    }

    @Test
    void aCounterThatDoesNotGrowIsAReplay() throws Exception {
        byte[] first = ciphered(KEYS, METER, Ciphering.AUTHENTICATED_ENCRYPTED, 100);
        decoder.decode(first);
        PushRefusedException again = assertThrows(PushRefusedException.class, () -> decoder.decode(first));
        assertEquals(PushRefusedException.Reason.REPLAY, again.reason());
        assertTrue(again.getMessage().contains("not above the last accepted 100"), again.getMessage());
        assertEquals(PushRefusedException.Reason.REPLAY, assertThrows(PushRefusedException.class,
                () -> decoder.decode(ciphered(KEYS, METER, Ciphering.AUTHENTICATED_ENCRYPTED, 99))).reason());
        decoder.decode(ciphered(KEYS, METER, Ciphering.AUTHENTICATED_ENCRYPTED, 101));
        assertEquals(101, decoder.lastCounter(METER).getAsLong());
    }

    @Test
    void withoutAuthenticationOrUncipheredIsRefused() throws Exception {
        PushRefusedException encryptedOnly = assertThrows(PushRefusedException.class,
                () -> decoder.decode(ciphered(KEYS, METER, Ciphering.ENCRYPTED, 1)));
        assertEquals(PushRefusedException.Reason.UNAUTHENTICATED, encryptedOnly.reason());
        assertTrue(encryptedOnly.getMessage().contains("without authentication"), encryptedOnly.getMessage());
        assertEquals(PushRefusedException.Reason.UNAUTHENTICATED,
                assertThrows(PushRefusedException.class, () -> decoder.decode(PLAIN)).reason());
        // A receiver for a meter set up without keys takes the plain form, with no sender.
        Push plain = new PushDecoder(PushKeys.of(Map.of()), true).decode(PLAIN);
        assertEquals(DataNotificationTest.expected(), plain.notification());
        assertTrue(plain.sender().isEmpty());
    }

    @Test
    void garbageIsMalformed() {
        for (String g : new String[] {"", "FF", "DB", "DB08", "DB084D4D4D0000BC614E", "DB084D4D4D0000BC614E0530",
                "DB044D4D4D00", "C0010000080000010000FF0200"}) {
            PushRefusedException e = assertThrows(PushRefusedException.class, () -> decoder.decode(Hex.bytes(g)), g);
            assertEquals(PushRefusedException.Reason.MALFORMED, e.reason(), g + ": " + e.getMessage());
        }
        // Deciphered, but not a Data-Notification inside.
        byte[] get = GeneralCiphering.glo(KEYS, 0x30, METER, 7, Hex.bytes("C0010000080000010000FF0200")).encode();
        assertEquals(PushRefusedException.Reason.MALFORMED,
                assertThrows(PushRefusedException.class, () -> decoder.decode(get)).reason());
    }
}
