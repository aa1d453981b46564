package io.edgegateway.config;

import io.edgegateway.dlms.push.SystemTitle;
import io.edgegateway.dlms.security.Ciphering;
import io.edgegateway.profile.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dlms-push}: what it takes, and every refusal naming the file and the key. */
class DlmsPushConfigTest {

    private static final String EK = "000102030405060708090A0B0C0D0E0F";
    private static final String AK = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF";

    private static final String BASE = """
            server: {port: 8080, bind: 127.0.0.1}
            buses:
              - {name: d, type: dlms-tcp, host: 10.0.0.5}
              - {name: m, type: modbus-tcp, host: 10.0.0.6}
            devices:
              - {meter-no: "62124022447", bus: d, profile: dlms-standard}
              - {meter-no: "62124022448", bus: d, unit-id: 2, profile: dlms-standard}
              - {meter-no: sdm, bus: m, unit-id: 1, profile: sdm120}
            """;

    private static String device(String meterNo, String title) {
        return """
                    - meter-no: "%s"
                      system-title: "%s"
                      block-cipher-key: "%s"
                      authentication-key: "%s"
                      objects:
                        - {cosem: 40/0.0.25.9.0.255/1}
                        - {cosem: 3/1.0.1.8.0.255/2, scaler: 1, unit: Wh}
                        - {cosem: 3/1.0.32.7.0.255/2, scaler: -1, unit: V}
                """.formatted(meterNo, title, EK, AK);
    }

    private static final String GOOD = BASE + """
            dlms-push:
              listen: {port: 4059, bind: 0.0.0.0}
              devices:
            """ + device("62124022447", "4D4D4D0000BC614E");

    private static GatewayConfig load(String yaml) {
        return ConfigLoader.loadYaml(yaml, "gateway.yaml", Path.of("."));
    }

    private static void assertProblem(String yaml, String key, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml), key);
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith("gateway.yaml:"), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains(EK) || e.getMessage().contains(AK), "no key in a message");
    }

    @Test
    void aPushDeviceLoadsWithItsKeysHidden() throws Exception {
        DlmsPushConfig p = load(GOOD).dlmsPush().orElseThrow();
        assertEquals("0.0.0.0", p.bind());
        assertEquals(4059, p.port());
        assertEquals(DlmsPushConfig.DEFAULT_MAX_CONNECTIONS, p.maxConnections());
        assertEquals(Duration.ofMinutes(10), p.idleTimeout());
        DlmsPushConfig.Device d = p.devices().get(0);
        assertEquals("62124022447", d.meterNo());
        assertEquals(SystemTitle.parse("4D4D4D0000BC614E"), d.systemTitle());
        assertEquals(3, d.objects().size());
        assertEquals(List.of("Import active energy", "L1 Voltage"), d.layout().points().stream().map(x -> x.name())
                .toList(), "the push setup's name is skipped; the others are the profile's points");
        // The keys are the configured ones: what the Green Book keys protect, they open.
        byte[] plain = HexFormat.of().parseHex("0F0000000100020000");
        Ciphering greenBook = new Ciphering(HexFormat.of().parseHex(EK), HexFormat.of().parseHex(AK));
        byte[] sent = greenBook.protect(0x30, d.systemTitle().bytes(), 7, plain);
        assertArrayEquals(plain, d.keys().unprotect(0x30, d.systemTitle().bytes(), 7, sent));
        String shown = p.toString() + load(GOOD);
        assertFalse(shown.contains(EK) || shown.contains(AK) || shown.toLowerCase().contains(EK.toLowerCase()),
                "keys never in toString: " + shown);
    }

    @Test
    void withoutDlmsPushNothingListensAndTheBindDefaultsToTheServers() {
        assertTrue(load(BASE).dlmsPush().isEmpty());
        DlmsPushConfig p = load(GOOD.replace("listen: {port: 4059, bind: 0.0.0.0}", "listen: {port: 0}"))
                .dlmsPush().orElseThrow();
        assertEquals("127.0.0.1", p.bind(), "the gateway's own bind address");
        assertEquals(0, p.port(), "0 picks a free port (tests)");
    }

    @Test
    void aPushWithoutKeysIsRefused() {
        String keyless = GOOD.replace("      block-cipher-key: \"" + EK + "\"\n", "")
                .replace("      authentication-key: \"" + AK + "\"\n", "");
        assertProblem(keyless, "dlms-push.devices.0", "a push without keys is refused");
        assertProblem(keyless, "dlms-push.devices.0", "block-cipher-key");
        assertProblem(keyless, "dlms-push.devices.0", "authentication-key");
        assertProblem(GOOD.replace("      authentication-key: \"" + AK + "\"\n", ""),
                "dlms-push.devices.0.authentication-key", "required for a push");
        assertProblem(GOOD.replace(AK, "D0D1D2"), "dlms-push.devices.0.authentication-key", "expected 32 hex digits");
        assertProblem(GOOD.replace("block-cipher-key: \"" + EK + "\"", "block-cipher-key-env: NO_SUCH_PUSH_KEY_VAR"),
                "dlms-push.devices.0.block-cipher-key-env", "NO_SUCH_PUSH_KEY_VAR is not set");
        ConfigException path = assertThrows(ConfigException.class, () -> load(GOOD.replace("block-cipher-key: \""
                + EK + "\"", "block-cipher-key-env: PATH")));
        assertFalse(path.getMessage().contains(System.getenv("PATH")), "the variable's value is not echoed");
        assertProblem(GOOD.replace("      authentication-key: \"" + AK + "\"\n", "      authentication-key: \"" + AK
                + "\"\n      authentication-key-env: PUSH_AK\n"), "dlms-push.devices.0.authentication-key-env",
                "not both");
    }

    @Test
    void theMeterMustBeAConfiguredDlmsDeviceListedOnce() {
        assertProblem(GOOD.replace("- meter-no: \"62124022447\"", "- meter-no: \"999\""),
                "dlms-push.devices.0.meter-no", "no device has meter-no 999");
        assertProblem(GOOD.replace("- meter-no: \"62124022447\"", "- meter-no: sdm"),
                "dlms-push.devices.0.meter-no", "not a DLMS device");
        assertProblem(GOOD + device("62124022447", "4D4D4D0000BC6100"), "dlms-push.devices.1.meter-no",
                "listed twice");
    }

    @Test
    void aSystemTitleUsedTwiceOrMalformedIsRefused() {
        assertProblem(GOOD + device("62124022448", "4D4D4D0000BC614E"), "dlms-push.devices.1.system-title",
                "already meter 62124022447's");
        assertProblem(GOOD.replace("4D4D4D0000BC614E", "4D4D4D"), "dlms-push.devices.0.system-title",
                "16 hex digits");
        assertProblem(GOOD.replace("4D4D4D0000BC614E", "4D4D4D0000BC61XY"), "dlms-push.devices.0.system-title",
                "16 hex digits");
    }

    @Test
    void badObjectsAreRefused() {
        assertProblem(GOOD.replace("3/1.0.32.7.0.255/2", "3/1.0.32.7.0/2"), "dlms-push.devices.0.objects.2.cosem",
                "not an OBIS code");
        assertProblem(GOOD.replace("3/1.0.32.7.0.255/2", "1.0.32.7.0.255"), "dlms-push.devices.0.objects.2.cosem",
                "class/obis/attribute");
        assertProblem(GOOD.replace("scaler: -1", "scaler: -200"), "dlms-push.devices.0.objects.2.scaler",
                "-128..127");
        assertProblem(GOOD.replace("scaler: 1, unit: Wh", "scaler: 1, unit: kWh"), "dlms-push.devices.0.objects.1.unit",
                "not a COSEM unit");
        assertProblem(GOOD.replace("scaler: -1, unit: V", "scaler: -1, unit: A"), "dlms-push.devices.0.objects.2",
                "does not convert to V");
        assertProblem(GOOD.replace("3/1.0.32.7.0.255/2", "3/1.0.1.8.0.255/2"), "dlms-push.devices.0.objects.2",
                "listed twice");
        assertProblem(GOOD.replace("{cosem: 40/0.0.25.9.0.255/1}", "{cosem: 40/0.0.25.9.0.255/1, scale: 2}"),
                "dlms-push.devices.0.objects.0.scale", "unknown key");
    }

    @Test
    void listenIsCheckedAndUnknownKeysAreRefused() {
        assertProblem(GOOD.replace("port: 4059", "port: 70000"), "dlms-push.listen.port", "must be 0..65535");
        assertProblem(GOOD.replace("port: 4059", "port: 8080"), "dlms-push.listen.port", "the HTTP port");
        assertProblem(GOOD.replace("listen: {port: 4059, bind: 0.0.0.0}", "listen: {bind: 0.0.0.0}"),
                "dlms-push.listen.port", "required");
        assertProblem(GOOD.replace("bind: 0.0.0.0", "bind: 300.1.1.1"), "dlms-push.listen.bind", "not an IP address");
        assertProblem(GOOD.replace("listen: {port: 4059, bind: 0.0.0.0}", "listen: {port: 4059, idle-timeout: 10ms}"),
                "dlms-push.listen.idle-timeout", "at least 1 s");
        assertProblem(GOOD.replace("listen: {port: 4059, bind: 0.0.0.0}", "listen: {port: 4059, host: x}"),
                "dlms-push.listen.host", "unknown key");
        assertProblem(GOOD.replace("      system-title:", "      title: x\n      system-title:"),
                "dlms-push.devices.0.title", "unknown key");
        assertProblem(GOOD.replace("  listen:", "  port: 1\n  listen:"), "dlms-push.port", "unknown key");
        assertProblem(BASE + "dlms-push:\n  listen: {port: 4059}\n", "dlms-push.devices", "missing");
        assertProblem(BASE + "dlms-push:\n  devices: []\n", "dlms-push.listen", "required");
    }
}
