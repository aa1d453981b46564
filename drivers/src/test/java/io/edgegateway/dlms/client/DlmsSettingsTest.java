package io.edgegateway.dlms.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DlmsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void buildsWithPublicDefaultsAndRefusesIncompleteSecurity() throws Exception {
        DlmsSettings s = DlmsSettings.builder().wrapperTcp("10.0.0.5", 4059).build();
        assertEquals(Transport.WRAPPER_TCP, s.transport());
        assertEquals(16, s.clientAddress());
        assertEquals(1, s.serverLogical());
        assertEquals(Authentication.NONE, s.authentication());
        assertNull(s.password());
        assertThrows(IllegalArgumentException.class, () -> DlmsSettings.builder().wrapperTcp("h", 1).modeE(true).build());
        assertThrows(IllegalArgumentException.class, () -> DlmsSettings.builder().wrapperTcp("h", 1)
                .hlsGmac(new byte[16], new byte[16], new byte[8]).build(), "HLS needs a counter directory");
        DlmsSettings hls = DlmsSettings.builder().wrapperTcp("h", 1).client(48)
                .hlsGmac(HexFormat.of().parseHex("000102030405060708090A0B0C0D0E0F"), new byte[16], new byte[8])
                .stateDirectory(dir).build();
        assertFalse(hls.toString().contains("000102"), "keys are not printed: " + hls);
        // The counter is named by the nonce's inputs: system title and a fingerprint of the key, never the key.
        assertEquals("0000000000000000_k" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(HexFormat.of().parseHex("000102030405060708090A0B0C0D0E0F")), 0, 4), hls.counterKey());
        assertFalse(hls.counterKey().contains("0001020304"));
    }

    @Test
    void unitPrefixes() {
        assertEquals(3, DlmsMeter.prefixExponent("Wh", "kWh"));
        assertEquals(6, DlmsMeter.prefixExponent("Wh", "MWh"));
        assertEquals(-3, DlmsMeter.prefixExponent("A", "mA"));
        assertEquals(0, DlmsMeter.prefixExponent("V", "V"));
        assertEquals(0, DlmsMeter.prefixExponent("V", ""));
        assertEquals(0, DlmsMeter.prefixExponent("m³", "m3"));
        assertEquals(3, DlmsMeter.prefixExponent("var", "kvar"));
        assertNull(DlmsMeter.prefixExponent("A", "V"));
        assertNull(DlmsMeter.prefixExponent("Wh", "varh"));
        assertEquals("SIM0001", DlmsMeter.text("SIM0001".getBytes()));
        assertEquals("00FF", DlmsMeter.text(new byte[] {0, (byte) 0xFF}));
    }
}
