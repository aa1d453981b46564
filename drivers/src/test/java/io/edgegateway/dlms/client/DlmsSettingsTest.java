package io.edgegateway.dlms.client;

import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.ConfigNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DlmsSettingsTest {

    @TempDir
    Path dir;

    private ConfigNode yaml(String text) throws Exception {
        Path f = dir.resolve("meter.yaml");
        Files.writeString(f, text);
        return ConfigNode.readFile(f).get("dlms");
    }

    @Test
    void readsEveryKeyFromYaml() throws Exception {
        DlmsSettings s = DlmsSettings.fromConfig(yaml("""
                dlms:
                  transport: hdlc-serial
                  device: /dev/ttyUSB0
                  baud: 9600
                  modeE: true
                  client: 48
                  serverLogical: 1
                  serverPhysical: 17
                  serverAddressSize: 4
                  authentication: hls-gmac
                  blockCipherKey: 000102030405060708090A0B0C0D0E0F
                  authenticationKey: "D0D1D2D3 D4D5D6D7 D8D9DADB DCDDDEDF"
                  systemTitle: 4D4D4D0000BC614E
                  dedicatedKey: true
                  maxPduSize: 512
                  hdlcMaxInfo: 64
                  hdlcWindow: 2
                  timeout: 3s
                  meterId: "62124022443"
                """), dir);
        assertEquals(Transport.HDLC_SERIAL, s.transport());
        assertTrue(s.modeE());
        assertEquals("/dev/ttyUSB0", s.serial().device());
        assertEquals(48, s.clientAddress());
        assertEquals(17, s.serverPhysical());
        assertEquals(Authentication.HLS_GMAC, s.authentication());
        assertEquals(0xD0, s.authenticationKey()[0] & 0xFF);
        assertEquals(Duration.ofSeconds(3), s.responseTimeout());
        assertEquals(dir, s.stateDirectory());
        assertEquals("62124022443_c48", s.counterKey());
        assertFalse(s.toString().contains("000102"), "keys are not printed: " + s);
        assertTrue(s.toString().contains("keys ****"));
    }

    @Test
    void defaultsAreThePublicClientOnTheWrapper() throws Exception {
        DlmsSettings s = DlmsSettings.fromConfig(yaml("dlms: {host: 10.0.0.5}"), dir);
        assertEquals(Transport.WRAPPER_TCP, s.transport());
        assertEquals(4059, s.port());
        assertEquals(16, s.clientAddress());
        assertEquals(1, s.serverLogical());
        assertEquals(Authentication.NONE, s.authentication());
        assertNull(s.password());
        assertEquals("10.0.0.5_4059_s1-0_c16", s.counterKey());
    }

    @Test
    void mistakesNameTheKey() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DlmsSettings.fromConfig(yaml("dlms: {host: h, authentication: lls}"), dir));
        assertTrue(e.getMessage().contains("dlms.password"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> DlmsSettings.fromConfig(yaml(
                "dlms: {host: h, authentication: hls-gmac, blockCipherKey: 0011, authenticationKey: 00, systemTitle: 00}"),
                dir));
        assertTrue(e.getMessage().contains("blockCipherKey") && e.getMessage().contains("32 hex digits"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> DlmsSettings.fromConfig(yaml("dlms: {host: h, pasword: x}"), dir));
        assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> DlmsSettings.fromConfig(yaml("dlms: {transport: smoke-signals}"), dir));
        assertTrue(e.getMessage().contains("wrapper-tcp, hdlc-tcp or hdlc-serial"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DlmsSettings.builder().wrapperTcp("h", 1).modeE(true).build());
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
