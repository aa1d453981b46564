package io.edgegateway.dlms.security;

import io.edgegateway.dlms.Hex;
import io.edgegateway.dlms.apdu.Apdu;
import io.edgegateway.dlms.apdu.CipheredApdu;
import io.edgegateway.dlms.apdu.GetRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security suite 0 against the published glo-get-request example of the DLMS UA Green Book (ciphering
 * examples): block cipher key 000102..0F, authentication key D0D1..DF, system title 4D4D4D0000BC614E,
 * invocation counter 01234567, security control 0x30 (authenticated and encrypted), plaintext GET of the clock.
 * The published 25 bytes are the 13 bytes of ciphertext followed by the 12-byte GCM tag.
 */
class CipheringTest {

    static final byte[] EK = Hex.bytes("000102030405060708090A0B0C0D0E0F");
    static final byte[] AK = Hex.bytes("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    static final byte[] ST = Hex.bytes("4D4D4D0000BC614E");
    static final long IC = 0x01234567L;
    static final byte[] PLAIN = Hex.bytes("C0010000080000010000FF0200");
    static final String PUBLISHED = "411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B";

    @TempDir
    Path dir;

    @Test
    void publishedGloGetRequestVector() throws Exception {
        Ciphering c = new Ciphering(EK, AK);
        byte[] protectedText = c.protect(Ciphering.AUTHENTICATED_ENCRYPTED, ST, IC, PLAIN);
        assertEquals(PUBLISHED, Hex.of(protectedText));
        assertEquals("411312FF935A47566827C467BC", Hex.of(java.util.Arrays.copyOf(protectedText, 13)), "ciphertext");

        CipheredApdu apdu = c.wrap(PLAIN, Ciphering.AUTHENTICATED_ENCRYPTED, ST, IC, false);
        assertEquals("C81E3001234567" + PUBLISHED, Hex.of(apdu.encode()), "glo-get-request = C8, length 30, SC, IC");
        CipheredApdu back = (CipheredApdu) Apdu.decode(apdu.encode());
        byte[] plain = c.unwrap(back, ST);
        assertArrayEquals(PLAIN, plain);
        GetRequest.Normal get = (GetRequest.Normal) Apdu.decode(plain);
        assertEquals("8/0.0.1.0.0.255/2", get.attribute().toString());
    }

    @Test
    void tamperingOrAWrongKeyIsDetected() {
        Ciphering c = new Ciphering(EK, AK);
        byte[] p = c.protect(Ciphering.AUTHENTICATED_ENCRYPTED, ST, IC, PLAIN);
        p[3] ^= 1;
        assertThrows(CipheringException.class, () -> c.unprotect(Ciphering.AUTHENTICATED_ENCRYPTED, ST, IC, p));
        byte[] ok = c.protect(Ciphering.AUTHENTICATED_ENCRYPTED, ST, IC, PLAIN);
        Ciphering other = new Ciphering(EK, Hex.bytes("00000000000000000000000000000000"));
        assertThrows(CipheringException.class, () -> other.unprotect(Ciphering.AUTHENTICATED_ENCRYPTED, ST, IC, ok));
        assertThrows(CipheringException.class, () -> c.unprotect(Ciphering.AUTHENTICATED_ENCRYPTED, ST, IC + 1, ok),
                "the counter is part of the IV");
    }

    @Test
    void authenticationOnlyAndEncryptionOnlyRoundTrip() throws Exception {
        Ciphering c = new Ciphering(EK, AK);
        byte[] a = c.protect(Ciphering.AUTHENTICATED, ST, IC, PLAIN);
        assertEquals(PLAIN.length + 12, a.length);
        assertArrayEquals(PLAIN, java.util.Arrays.copyOf(a, PLAIN.length), "authenticated only: plaintext stays");
        assertArrayEquals(PLAIN, c.unprotect(Ciphering.AUTHENTICATED, ST, IC, a));
        byte[] e = c.protect(Ciphering.ENCRYPTED, ST, IC, PLAIN);
        assertEquals("411312FF935A47566827C467BC", Hex.of(e), "same keystream as the authenticated-encrypted case");
        assertArrayEquals(PLAIN, c.unprotect(Ciphering.ENCRYPTED, ST, IC, e));
    }

    @Test
    void hlsGmacAnswerVerifies() {
        Ciphering c = new Ciphering(EK, AK);
        byte[] challenge = Hex.bytes("0102030405060708090A0B0C0D0E0F10");
        byte[] answer = c.hlsAnswer(ST, 5, challenge);
        assertEquals(17, answer.length);
        assertEquals(0x10, answer[0]);
        assertEquals(5, Ciphering.hlsAnswerCounter(answer));
        assertTrue(c.verifyHlsAnswer(answer, ST, challenge));
        assertFalse(c.verifyHlsAnswer(answer, ST, Hex.bytes("0102030405060708090A0B0C0D0E0F11")));
        assertFalse(new Ciphering(AK, EK).verifyHlsAnswer(answer, ST, challenge));
        assertEquals("Ciphering[suite 0, keys hidden]", c.toString());
    }

    @Test
    void twoHoldersOfOneCounterFileNeverHandOutTheSameValue() throws Exception {
        // The service and a field tool (or two meters under one key) share the file: blocks must not overlap.
        InvocationCounterStore.Counter a = new InvocationCounterStore(dir).counter("4D4D4D0000BC614E_k00112233");
        InvocationCounterStore.Counter b = new InvocationCounterStore(dir).counter("4D4D4D0000BC614E_k00112233");
        java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread ta = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 500; i++) {
                assertTrue(seen.add(a.next()), "value reused");
            }
        });
        for (int i = 0; i < 500; i++) {
            assertTrue(seen.add(b.next()), "value reused");
        }
        ta.join();
        assertEquals(1000, seen.size());
    }

    @Test
    void counterPersistsAcrossRestartsAndNeverRepeats() throws Exception {
        InvocationCounterStore store = new InvocationCounterStore(dir);
        InvocationCounterStore.Counter first = store.counter("10.0.0.5:4059/s1/c48");
        long a = first.next();
        long b = first.next();
        assertEquals(1, a);
        assertEquals(2, b);
        assertTrue(Files.exists(dir.resolve("10.0.0.5_4059_s1_c48.ic")));
        // A restart: a new store over the same directory.
        InvocationCounterStore.Counter again = new InvocationCounterStore(dir).counter("10.0.0.5:4059/s1/c48");
        long c = again.next();
        assertTrue(c > b, "after restart " + c + " > " + b);
        for (int i = 0; i < 200; i++) {
            long n = again.next();
            assertTrue(n > c);
            c = n;
        }
        assertFalse(Files.exists(dir.resolve("10.0.0.5_4059_s1_c48.ic.tmp")), "no temporary file left");
        assertTrue(new InvocationCounterStore(dir).counter("10.0.0.5:4059/s1/c48").next() > c);
    }
}
