package io.edgegateway.config;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.poll.PollGroup;
import io.edgegateway.profile.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static final String GOOD = """
            server: {port: 8081, bind: 0.0.0.0}
            sse: {heartbeat: 15s, max-clients: 500, replay-size: 200}
            security:
              tokens:
                - {name: hes, token: 0123456789abcdef0123}
            cors:
              allowed-origins: [https://hes.example.com]
            buses:
              - {name: line1, type: modbus-rtu, device: /dev/ttyUSB0, baud: 19200, parity: even, timeout: 300ms}
              - {name: gw, type: modbus-tcp, host: 10.0.0.5}
              - {name: rtcp, type: modbus-rtu-over-tcp, host: 10.0.0.6, port: 4001}
            devices:
              - meter-no: "62124022443"
                bus: line1
                unit-id: 1
                profile: sdm630
                interval: 10s
                groups:
                  - {interval: 1s, points: [L1 Voltage, Frequency]}
              - {meter-no: plc-1, bus: gw, unit-id: 3, profile: plc}
              - meter-no: custom
                bus: rtcp
                unit-id: 7
                points:
                  - {name: Temperature, table: input, address: 4, type: int16, scale: 0.1, unit: "°C", decimals: 1}
            """;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void aGoodFileLoadsCompletely() throws IOException {
        GatewayConfig c = ConfigLoader.load(write(GOOD));
        assertEquals(8081, c.port());
        assertEquals("0.0.0.0", c.bind());
        assertEquals(Duration.ofSeconds(15), c.sse().heartbeat());
        assertEquals(500, c.sse().maxClients());
        assertEquals("hes", c.tokens().get(0).name());
        assertFalse(c.tokens().toString().contains("0123456789abcdef0123"), "secrets stay out of toString");
        assertEquals(BusType.MODBUS_RTU, c.bus("line1").orElseThrow().type());
        assertEquals("/dev/ttyUSB0 19200 8E1", c.bus("line1").orElseThrow().serial().describe());
        assertEquals(502, c.bus("gw").orElseThrow().port());
        DeviceConfig meter = c.device("62124022443").orElseThrow();
        List<PollGroup> groups = meter.pollGroups();
        assertEquals(2, groups.size());
        assertEquals(Duration.ofSeconds(10), groups.get(0).interval());
        assertEquals(List.of("L1 Voltage", "Frequency"),
                groups.get(1).points().stream().map(p -> p.name()).toList());
        assertEquals(meter.points().size(), groups.get(0).points().size() + 2, "every point in exactly one group");
        assertEquals(80, meter.limits().maxRegisters(), "the profile's limits");
        assertEquals(1, c.device("custom").orElseThrow().points().size());
        assertEquals(StorageConfig.DEFAULT_AUDIT_MAX_ROWS, c.storage().auditMaxRows());
        assertEquals(5000, ConfigLoader.load(write(GOOD + "storage: {audit-max-rows: 5000}\n")).storage()
                .auditMaxRows());
    }

    @Test
    void systemPropertiesOverrideTheFile() throws IOException {
        Path f = write(GOOD);
        System.setProperty("server.port", "9099");
        try {
            assertEquals(9099, ConfigLoader.load(f).port());
        } finally {
            System.clearProperty("server.port");
        }
    }

    @Test
    void everyProblemNamesFileKeyAndWhat() throws IOException {
        assertProblem(GOOD.replace("heartbeat: 15s", "heartbeet: 15s"), "sse.heartbeet", "unknown key");
        assertProblem(GOOD + "storage: {audit-max-rows: 10}\n", "storage.audit-max-rows", "must be 1000..");
        assertProblem(GOOD.replace("heartbeat: 15s", "compression: gzip"), "sse.compression",
                "expected auto or off, got 'gzip'");
        assertProblem(GOOD.replace("port: 8081", "port: eighty"), "server.port", "expected an integer");
        assertProblem(GOOD.replace("port: 8081", "port: 70000"), "server.port", "must be 0..65535");
        assertProblem(GOOD.replace("profile: plc", "profile: plc9"), "devices.1.profile", "unknown profile 'plc9'");
        assertProblem(GOOD.replace("meter-no: plc-1", "meter-no: \"62124022443\""), "devices.1.meter-no", "used twice");
        assertProblem(GOOD.replace("bus: gw,", "bus: nowhere,"), "devices.1.bus", "no bus named 'nowhere'");
        assertProblem(GOOD.replace("unit-id: 1\n", "unit-id: 300\n"), "devices.0.unit-id", "must be 1..247");
        assertProblem(GOOD.replace("heartbeat: 15s", "heartbeat: soon"), "sse.heartbeat", "expected a duration");
        assertProblem(GOOD.replace("token: 0123456789abcdef0123", "token: short"), "security.tokens.0", "too short");
        assertProblem(GOOD.replace("https://hes.example.com", "hes.example.com"), "cors.allowed-origins.0", "not an origin");
        assertProblem(GOOD.replace("points: [L1 Voltage, Frequency]", "points: [L1 Voltage, Frequenzy]"),
                "devices.0.groups.0.points.1", "no point named 'Frequenzy'");
        assertProblem(GOOD.replace("type: modbus-tcp", "type: modbus-udp"), "buses.1.type", "unknown bus type");
        assertProblem(GOOD.replace("host: 10.0.0.5", "device: /dev/ttyUSB1"), "buses.1.device", "not used by a modbus-tcp bus");
        assertProblem(GOOD.replace("profile: plc", "profile: plc, points: []"), "devices.1", "either profile or points");
        // Two buses on one serial port.
        assertProblem(GOOD.replace("  - {name: gw, type: modbus-tcp, host: 10.0.0.5}",
                "  - {name: gw, type: modbus-tcp, host: 10.0.0.5}\n  - {name: line2, type: modbus-rtu, device: /dev/ttyUSB0}"),
                "buses.2.device", "already uses serial port");
        assertProblem(GOOD.replace("unit-id: 3,", "unit-id: 7,").replace("bus: gw,", "bus: rtcp,"),
                "devices.2.unit-id", "already meter plc-1");
        assertProblem("server: [1, 2", "", "cannot parse YAML");
    }

    private static final String DLMS = """
            state-dir: /tmp/gw-state
            buses:
              - {name: dl, type: dlms-tcp, host: 10.0.0.9, timeout: 3s}
              - {name: optical, type: dlms-serial, device: /dev/ttyUSB3, baud: 300}
            devices:
              - meter-no: "62124022443"
                bus: dl
                profile: dlms-standard
                dlms: {client: 48, authentication: hls-gmac, block-cipher-key: "000102030405060708090A0B0C0D0E0F",
                       authentication-key: "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF", system-title: "4D4D4D0000BC614E"}
              - meter-no: "4711"
                bus: optical
                unit-id: 1
                profile: dlms-standard
                dlms: {client: 32, authentication: lls, password: "12345678", mode-e: true, server-physical: 17}
            """;

    @Test
    void dlmsDevicesTakeTransportFromTheBusAndSecurityFromTheirBlock() throws IOException {
        GatewayConfig c = ConfigLoader.load(write(DLMS));
        var hls = c.device("62124022443").orElseThrow().dlms();
        assertEquals(io.edgegateway.dlms.client.Transport.WRAPPER_TCP, hls.transport());
        assertEquals("10.0.0.9", hls.host());
        assertEquals(4059, hls.port());
        assertEquals(Duration.ofSeconds(3), hls.responseTimeout());
        assertEquals(Path.of("/tmp/gw-state/dlms"), hls.stateDirectory());
        assertFalse(hls.toString().contains("000102"), "keys stay out of toString");
        var lls = c.device("4711").orElseThrow().dlms();
        assertEquals(io.edgegateway.dlms.client.Transport.HDLC_SERIAL, lls.transport());
        assertTrue(lls.modeE());
        assertEquals(17, lls.serverPhysical());
        assertEquals(300, lls.serial().baud());
    }

    @Test
    void dlmsMistakesAreRefusedAtLoad() throws IOException {
        assertProblem(DLMS.replace("password: \"12345678\", ", ""), "devices.1.dlms.password", "required");
        assertProblem(DLMS.replace("\"000102030405060708090A0B0C0D0E0F\"", "000102"), "devices.0.dlms.block-cipher-key",
                "32 hex digits");
        assertProblem(DLMS.replace("client: 48,", "clent: 48,"), "devices.0.dlms.clent", "unknown key");
        assertProblem(DLMS.replace("bus: optical", "bus: dl")
                .replace("unit-id: 1\n", "unit-id: 2\n"), "devices.1.dlms.mode-e", "for dlms-serial buses");
        assertProblem(GOOD.replace("meter-no: plc-1", "meter-no: auto"), "devices.1.meter-no", "only DLMS meters");
        assertEquals("auto", ConfigLoader.load(write(DLMS.replace("meter-no: \"4711\"", "meter-no: auto")))
                .devices().get(1).meterNo(), "resolved when the gateway starts");
        assertProblem(DLMS.replaceFirst("profile: dlms-standard", "profile: sdm630"),
                "devices.0.profile", "is modbus but bus 'dl' is dlms-tcp");
    }

    @Test
    void severalRequestsInFlightOnlyOnModbusTcpAndWithoutAPause() throws IOException {
        Path f = write(GOOD.replace("host: 10.0.0.5}", "host: 10.0.0.5, max-outstanding: 4}"));
        GatewayConfig c = ConfigLoader.load(f);
        assertEquals(4, c.buses().get(1).maxOutstanding());
        assertEquals(1, c.buses().get(2).maxOutstanding(), "one at a time unless asked");
        assertProblem(GOOD.replace("port: 4001}", "port: 4001, max-outstanding: 2}"), "buses.2.max-outstanding",
                "only a modbus-tcp bus can keep several requests in flight");
        assertProblem(GOOD.replace("timeout: 300ms}", "timeout: 300ms, max-outstanding: 2}"),
                "buses.0.max-outstanding", "a modbus-rtu bus has one at a time");
        assertProblem(GOOD.replace("host: 10.0.0.5}", "host: 10.0.0.5, pause: 5ms, max-outstanding: 2}"),
                "buses.1.max-outstanding", "remove pause, or set max-outstanding to 1");
        assertProblem(GOOD.replace("host: 10.0.0.5}", "host: 10.0.0.5, max-outstanding: 17}"),
                "buses.1.max-outstanding", "must be 1..16, got 17");
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithBothLines() throws IOException {
        Path f = write(GOOD.replace("port: 8081,", "port: 8081, port: 8082,"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(f.toString())
                + ":\\d+: key 'port' given twice in server \\(first at line \\d+\\)"), e.getMessage());
    }

    @Test
    void aMeterNumberYamlReadsAsANumberIsRefusedWithAHint() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(write(GOOD.replace("meter-no: plc-1", "meter-no: 0012345"))));
        assertEquals("devices.1.meter-no", e.key());
        assertTrue(e.problem().contains("quote it: meter-no: \"0012345\""), e.getMessage());
    }

    @Test
    void aFileThatPollsNothingIsRefusedNamingWhatIsMissing() throws IOException {
        String hint = "at least one bus and one device";
        assertProblem("", "", "the file is empty; a gateway needs " + hint);
        assertProblem("server: {port: 8080}\n", "buses", "missing; a gateway needs " + hint);
        assertProblem("buses: []\ndevices: []\n", "buses", "the list is empty");
        assertProblem(GOOD.substring(0, GOOD.indexOf("devices:")) + "devices: []\n", "devices", "the list is empty");
    }

    @Test
    void aMalformedBindAddressIsRefusedAtLoadNotWhenTheServerStarts() throws IOException {
        assertProblem(GOOD.replace("bind: 0.0.0.0", "bind: 999.1.1.1"), "server.bind", "999 is above 255");
        assertProblem(GOOD.replace("bind: 0.0.0.0", "bind: 1.2.3"), "server.bind", "not an IP address");
        assertProblem(GOOD.replace("bind: 0.0.0.0", "bind: \"fe80::zz\""), "server.bind", "not an IPv6 address");
        assertProblem(GOOD.replace("bind: 0.0.0.0", "bind: \"gw_01!\""), "server.bind", "not an IP address or host name");
        for (String ok : List.of("\"::1\"", "\"::\"", "127.0.0.1", "gateway.local")) {
            assertEquals(ok.replace("\"", ""), ConfigLoader.load(write(GOOD.replace("bind: 0.0.0.0", "bind: " + ok))).bind());
        }
        // Well formed but not here (TEST-NET-3 is never configured on a machine): loads, because the interface may
        // come up later; check-config warns and a failed bind says why (BindAddress.notHere).
        assertEquals("203.0.113.77", ConfigLoader.load(write(GOOD.replace("bind: 0.0.0.0", "bind: 203.0.113.77"))).bind());
        assertTrue(BindAddress.notHere("203.0.113.77").orElseThrow().contains("not an address of this machine now"));
        assertTrue(BindAddress.notHere("127.0.0.1").isEmpty());
        assertTrue(BindAddress.notHere("0.0.0.0").isEmpty());
    }

    @Test
    void aDuplicateMeterNumberNamesTheOtherOccurrence() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                write(GOOD.replace("meter-no: plc-1", "meter-no: \"62124022443\""))));
        assertEquals("devices.1.meter-no", e.key());
        assertTrue(e.problem().matches("meter number 62124022443 is used twice \\(first at devices\\.0 \\(line \\d+\\)\\)"),
                e.getMessage());
    }

    @Test
    void anUnreadableTokenFileSaysWhy() throws IOException {
        assertProblem(GOOD.replace("token: 0123456789abcdef0123", "token-file: gone.token"),
                "security.tokens.0.token-file", "gone.token: no such file");
        assertProblem(GOOD.replace("token: 0123456789abcdef0123", "token-file: /nonexistent-dir/hes.token"),
                "security.tokens.0.token-file", "its directory /nonexistent-dir does not exist either");
        Files.createDirectory(dir.resolve("tokens"));
        assertProblem(GOOD.replace("token: 0123456789abcdef0123", "token-file: tokens"),
                "security.tokens.0.token-file", "it is a directory, not a file");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals(missing.toString() + ": file not found", e.getMessage());
    }

    @Test
    void tokensCanComeFromAFileWithoutBeingInTheConfig() throws IOException {
        Files.writeString(dir.resolve("hes.token"), "fedcba9876543210fedcba\n");
        GatewayConfig c = ConfigLoader.load(write(GOOD.replace("token: 0123456789abcdef0123", "token-file: hes.token")));
        assertEquals("fedcba9876543210fedcba", c.tokens().get(0).secret());
    }

    @Test
    void tokensMayWriteAndBeRestrictedToAUser() throws IOException {
        GatewayConfig c = ConfigLoader.load(write(GOOD.replace("token: 0123456789abcdef0123",
                "token: 0123456789abcdef0123, write: true, user: \"alice\"")));
        AccessToken t = c.tokens().get(0);
        assertTrue(t.write());
        assertEquals("alice", t.user());
        assertFalse(t.toString().contains("0123456789abcdef0123"), "never the secret: " + t);
        AccessToken admin = new AccessToken("ops", "fedcba9876543210fedcba", true);
        assertTrue(admin.write(), "admin implies write");
        assertProblem(GOOD.replace("token: 0123456789abcdef0123", "token: 0123456789abcdef0123, user: \" \""),
                "security.tokens.0.user", "must be a user id, or left out");
        assertProblem(GOOD.replace("token: 0123456789abcdef0123", "token: 0123456789abcdef0123, write: maybe"),
                "security.tokens.0.write", "");
    }

    private static final String UPLINK = GOOD + """
            gateway-id: gw-0001
            uplink:
              mqtt: {url: "mqtt://broker.example", username: gw, password-env: HOME}
            """;

    @Test
    void anUplinkLoadsWithItsDefaults() throws IOException {
        GatewayConfig c = ConfigLoader.load(write(UPLINK));
        assertEquals("gw-0001", c.gatewayId());
        UplinkConfig u = c.uplink().orElseThrow();
        assertEquals("broker.example", u.host());
        assertEquals(1883, u.port());
        assertFalse(u.tls());
        assertEquals("gw-0001", u.clientId(), "the client id defaults to the gateway id");
        assertEquals("gateways/gw-0001", u.topicPrefix());
        assertEquals(UplinkConfig.Format.JSON, u.format());
        assertEquals(1, u.qos());
        assertEquals(64, u.maxInflight());
        assertEquals(2500, u.drainRate());
        assertEquals(System.getenv("HOME"), u.password().value());
        assertTrue(c.toString().contains("password=Secret[***]"), "the password stays out of toString: " + c);

        UplinkConfig s = ConfigLoader.load(write(UPLINK.replace("mqtt://broker.example\"",
                "mqtts://broker.example\", format: sparkplug-b, group-id: plant-a, drain-rate: 600/min"))).uplink().orElseThrow();
        assertEquals(8883, s.port());
        assertTrue(s.tls());
        assertEquals("plant-a", s.groupId());
        assertEquals(10, s.drainRate());
        assertTrue(ConfigLoader.load(write(GOOD)).uplink().isEmpty(), "no uplink unless configured");
        assertTrue(u.warning().orElseThrow().contains("password goes in clear over mqtt:// to broker.example"));
        assertTrue(s.warning().isEmpty(), "mqtts:// is fine");
    }

    @Test
    void uplinkProblemsNameTheKey() throws IOException {
        String url = "url: \"mqtt://broker.example\"";
        assertProblem(UPLINK.replace(url, "url: \"http://broker.example\""), "uplink.mqtt.url", "mqtt:// or mqtts://");
        assertProblem(UPLINK.replace(url, "url: \"mqtt://gw:secret@broker.example\""), "uplink.mqtt.url",
                "must not hold a user or password");
        assertProblem(UPLINK.replace("password-env: HOME", "password-env: EDGE_GATEWAY_TEST_UNSET_1"),
                "uplink.mqtt.password-env", "environment variable EDGE_GATEWAY_TEST_UNSET_1 is not set");
        assertProblem(UPLINK.replace(url, url + ", qos: 2"), "uplink.mqtt.qos", "2 is not offered");
        assertProblem(UPLINK.replace(url, url + ", format: sparkplug-b"), "uplink.mqtt.group-id", "missing");
        assertProblem(UPLINK.replace(url, url + ", format: sparkplug"), "uplink.mqtt.format",
                "expected json or sparkplug-b");
        assertProblem(UPLINK.replace(url, url + ", topic-prefix: \"site/+/gw\""), "uplink.mqtt.topic-prefix",
                "wildcards");
        assertProblem(UPLINK.replace(url, url + ", drain-rate: 5/s"), "uplink.mqtt.drain-rate", "at least 10/s");
        assertProblem(UPLINK.replace(url, url + ", tls: {ca-file: ca.pem}"), "uplink.mqtt.tls", "use mqtts://");
        assertProblem(UPLINK.replace("gateway-id: gw-0001", "gateway-id: site/gw"), "gateway-id", "must not hold '/'");
        assertProblem(UPLINK.replace(url, url + ", keepalive: 30"), "uplink.mqtt.keepalive", "unknown key");
        assertProblem(UPLINK.replace(url, "url: \"mqtt://broker.example:99999\""), "uplink.mqtt.url", "not 1..65535");
        assertProblem(UPLINK.replace(url, url + ", topic-prefix: \"$SYS/gw\""), "uplink.mqtt.topic-prefix", "must not start with $");
        Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        String tls = "url: \"mqtts://broker.example\", tls: {ca-file: ca.pem}";
        assertProblem(UPLINK.replace(url, tls), "uplink.mqtt.tls.ca-file", "no PEM certificate in it");
        assertProblem(UPLINK.replace(url, "url: \"mqtts://broker.example\", tls: {cert-file: ca.pem}"),
                "uplink.mqtt.tls.key-file", "go together");
        assertProblem(UPLINK.replace(url, "url: \"mqtts://broker.example\", tls: {ca-file: none.pem}"),
                "uplink.mqtt.tls.ca-file", "no such file");
    }

    private static final String PROFILES = DLMS.replace("system-title: \"4D4D4D0000BC614E\"}\n",
            "system-title: \"4D4D4D0000BC614E\"}\n"
                    + "    load-profiles:\n"
                    + "      - {obis: 1.0.99.1.0.255, every: 15m, backfill: 7d}\n"
                    + "      - {obis: 0.0.99.98.0.255, every: 1h}\n"
                    + "    clock: {check: 1h, sync-when-drift-exceeds: 10s}\n");

    @Test
    void loadProfilesAndTheClockPolicyLoad() throws IOException {
        DeviceConfig d = ConfigLoader.load(write(PROFILES)).device("62124022443").orElseThrow();
        assertEquals(List.of(new LoadProfileConfig(ObisCode.parse("1.0.99.1.0.255"), Duration.ofMinutes(15),
                        Duration.ofDays(7)),
                new LoadProfileConfig(ObisCode.parse("0.0.99.98.0.255"), Duration.ofHours(1), Duration.ofDays(1))),
                d.loadProfiles());
        assertTrue(d.loadProfiles().get(1).eventLog());
        assertEquals(new ClockPolicy(Duration.ofHours(1), Duration.ofSeconds(10)), d.clock());
        assertEquals(List.of(), ConfigLoader.load(write(DLMS)).device("4711").orElseThrow().loadProfiles());
    }

    @Test
    void loadProfileAndClockMistakesNameTheKey() throws IOException {
        assertProblem(PROFILES.replace("obis: 1.0.99.1.0.255", "obis: 1.0.99.7.0.255"),
                "devices.0.load-profiles.0.obis", "profile 'dlms-standard' has no Profile Generic 1.0.99.7.0.255");
        assertProblem(PROFILES.replace("obis: 1.0.99.1.0.255", "obis: 1.0.99.1"),
                "devices.0.load-profiles.0.obis", "an OBIS code");
        assertProblem(PROFILES.replace("every: 15m", "every: 10s"), "devices.0.load-profiles.0.every",
                "at least 1 min");
        assertProblem(PROFILES.replace("every: 15m, ", ""), "devices.0.load-profiles.0.every", "required");
        assertProblem(PROFILES.replace("backfill: 7d", "backfill: 7000d"), "devices.0.load-profiles.0.backfill",
                "between 0 and 400d");
        assertProblem(PROFILES.replace("every: 1h}", "every: 1h, from: 2d}"), "devices.0.load-profiles.1.from",
                "unknown key");
        assertProblem(PROFILES.replace("obis: 0.0.99.98.0.255", "obis: 1.0.99.1.0.255"),
                "devices.0.load-profiles.1.obis", "read twice");
        assertProblem(PROFILES.replace("check: 1h,", "check: 5s,"), "devices.0.clock.check", "at least 1 min");
        assertProblem(PROFILES.replace("client: 48, authentication: hls-gmac", "client: 16, authentication: none"),
                "devices.0.clock.sync-when-drift-exceeds", "needs dlms.authentication: hls-gmac");
        assertProblem(GOOD.replace("{meter-no: plc-1, bus: gw, unit-id: 3, profile: plc}",
                "{meter-no: plc-1, bus: gw, unit-id: 3, profile: plc, load-profiles: []}"),
                "devices.1.load-profiles", "a DLMS setting");
    }

    private static final String MULTI_DROP = """
            buses:
              - {name: rs485, type: dlms-serial, device: /dev/ttyUSB3, baud: 9600}
            devices:
              - {meter-no: "a", bus: rs485, profile: dlms-standard, dlms: {client: 16, server-physical: 17}}
              - {meter-no: "b", bus: rs485, profile: dlms-standard, dlms: {client: 16, server-physical: 18}}
            """;

    @Test
    void severalMetersShareAnRs485LineByTheirHdlcAddresses() throws IOException {
        GatewayConfig c = ConfigLoader.load(write(MULTI_DROP));
        assertEquals(17, c.device("a").orElseThrow().dlms().serverPhysical());
        assertEquals(18, c.device("b").orElseThrow().dlms().serverPhysical());
        assertProblem(MULTI_DROP.replace("server-physical: 18", "server-physical: 17"), "devices.1.dlms",
                "meter a on bus 'rs485' has the same address (logical 1, physical 17)");
        assertProblem(MULTI_DROP.replace("server-physical: 18}", "server-physical: 18, mode-e: true}"),
                "devices.1.dlms", "mode-e is the optical head's sign-on to one meter");
    }

    private static final String ALERTS = GOOD + """
            alerts:
              - {id: over, profile: sdm630, point: L1 Voltage, condition: gt, value: 253, for: 30s, hysteresis: 2,
                 severity: critical}
              - {id: band, meters: ["62124022443"], point: L1 Voltage, condition: outside, value: [207, 253]}
              - {id: gone, status: DISCONNECTED, for: 5m}
              - {id: mode, meters: [plc-1], point: Operating Mode, condition: eq, value: MANUAL, severity: info}
            """;

    @Test
    void alertRulesLoad() throws IOException {
        GatewayConfig c = ConfigLoader.load(write(ALERTS));
        assertEquals(List.of("over", "band", "gone", "mode"), c.alerts().stream().map(r -> r.id()).toList());
        var over = c.alerts().get(0);
        assertEquals(Duration.ofSeconds(30), over.hold());
        assertEquals("{\"id\":\"over\",\"profile\":\"sdm630\",\"point\":\"L1 Voltage\",\"condition\":\"gt\","
                + "\"value\":253,\"hysteresis\":2,\"for\":\"30s\",\"severity\":\"critical\"}", over.json());
        assertEquals(Duration.ZERO, c.alerts().get(1).hold(), "for defaults to 0");
        assertEquals("warning", c.alerts().get(1).severity().configName(), "severity defaults to warning");
        assertEquals("{\"id\":\"gone\",\"status\":\"DISCONNECTED\",\"for\":\"5m\",\"severity\":\"warning\"}",
                c.alerts().get(2).json());
    }

    @Test
    void alertRuleMistakesNameTheKey() throws IOException {
        String over = "{id: over, profile: sdm630, point: L1 Voltage, condition: gt, value: 253, for: 30s,"
                + " hysteresis: 2,"
                + "\n     severity: critical}";
        assertProblem(ALERTS.replace(over, "{id: over, profile: sdm630, point: L1 Voltage, condition: gt, value: 253, "
                + "threshold: 1}"), "alerts.0.threshold", "unknown key");
        assertProblem(ALERTS.replace("meters: [\"62124022443\"]", "meters: [\"999\"]"), "alerts.1.meters.0",
                "no meter '999'");
        assertProblem(ALERTS.replace("over, profile: sdm630", "over, profile: sdm999"), "alerts.0.profile",
                "unknown profile");
        assertProblem(ALERTS.replace("over, profile: sdm630", "over, profile: sdm120"), "alerts.0.profile",
                "no device uses profile 'sdm120'");
        assertProblem(ALERTS.replace("point: L1 Voltage, condition: gt", "point: L1 Voltaje, condition: gt"),
                "alerts.0.point", "no point 'L1 Voltaje' on meter 62124022443");
        assertProblem(ALERTS.replace("point: Operating Mode, condition: eq, value: MANUAL",
                "point: Cabinet Door Open, condition: gt, value: 0"), "alerts.3.condition", "is a flag");
        assertProblem(ALERTS.replace("value: [207, 253]", "value: [207]"), "alerts.1.value",
                "outside needs two bounds, [low, high], got one");
        assertProblem(ALERTS.replace("condition: outside, value: [207, 253]", "condition: between, value: 207"),
                "alerts.1.value", "between needs two bounds");
        assertProblem(ALERTS.replace("value: 253,", "value: high,"), "alerts.0.value", "not a number: 'high'");
        assertProblem(ALERTS.replace("value: [207, 253]", "value: [253, 207]"), "alerts.1.value", "must be below");
        assertProblem(ALERTS.replace("hysteresis: 2", "hysteresis: -2"), "alerts.0.hysteresis", "must not be negative");
        assertProblem(ALERTS.replace("value: [207, 253]", "value: [207, 253], hysteresis: 23"), "alerts.1.hysteresis",
                "leaves no value");
        assertProblem(ALERTS.replace("id: band", "id: over"), "alerts.1.id", "already the id of alerts.0");
        assertProblem(ALERTS.replace("severity: critical", "severity: major"), "alerts.0.severity",
                "expected info, warning or critical");
        assertProblem(ALERTS.replace("over, profile: sdm630,", "over, profile: sdm630, meters: [plc-1],"),
                "alerts.0.profile", "meters or profile, not both");
        assertProblem(ALERTS.replace("{id: gone, status: DISCONNECTED, for: 5m}", "{id: gone, for: 5m}"), "alerts.2",
                "needs a point");
        assertProblem(ALERTS.replace("status: DISCONNECTED", "status: DOWN"), "alerts.2.status",
                "expected CONNECTED, DISCONNECTED or ERROR");
        assertProblem(ALERTS.replace("status: DISCONNECTED", "status: DISCONNECTED, value: 1"), "alerts.2.value",
                "does not apply to a status rule");
        assertProblem(ALERTS.replace("value: MANUAL", "value: MANUEL"), "alerts.3.value",
                "'MANUEL' is not a label of 'Operating Mode'");
        assertProblem(ALERTS.replace("for: 30s", "for: soon"), "alerts.0.for", "expected a duration");
        assertProblem(ALERTS.replace("condition: gt", "condition: above"), "alerts.0.condition",
                "expected gt, lt, eq, between or outside");
        assertProblem(ALERTS.replace("id: over", "id: \"over/volt\""), "alerts.0.id", "letters, digits");
        // since + for must stay a time (P400000000000D passed once, and killed the timer thread)
        assertProblem(ALERTS.replace("for: 30s", "for: P400000000000D"), "alerts.0.for", "at most 30 days");
        assertProblem(ALERTS.replace("for: 30s", "for: 721h"), "alerts.0.for", "at most 30 days");
        // 13 characters that would be a 40 MB integer in limit - hysteresis, on every poll
        assertProblem(ALERTS.replace("value: 253,", "value: 1E+100000000,"), "alerts.0.value", "out of range");
        assertProblem(ALERTS.replace("hysteresis: 2", "hysteresis: 1E+100000000"), "alerts.0.hysteresis",
                "out of range");
        assertProblem(ALERTS.replace("value: [207, 253]", "value: [1E-31, 253]"), "alerts.1.value.0", "out of range");
    }

    private void assertProblem(String yaml, String key, String problem) throws IOException {
        Path f = write(yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f), key);
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ":" + e.line() + ": "), "file and line first: " + e.getMessage());
        assertTrue(e.line() > 0, e.getMessage());
    }
}
