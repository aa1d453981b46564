package io.edgegateway.packaging;

import io.edgegateway.config.BusType;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.profile.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example config installed as /etc/gateway/gateway.yaml loads as the gateway would load it. */
class ExampleConfigTest {

    private static final Path EXAMPLE = SourceTree.MODULE.resolve("gateway.example.yaml");

    @TempDir
    Path etc;

    private Path installed() throws IOException {
        Path config = etc.resolve("gateway.yaml");
        Files.copy(EXAMPLE, config);
        // The installer makes this file (random); the example reads it through token-file.
        Files.writeString(etc.resolve("hes.token"), "0123456789abcdef0123456789abcdef\n");
        return config;
    }

    @Test
    void loadsWithEveryKindOfBusItShows() throws IOException {
        GatewayConfig c = ConfigLoader.load(installed());
        assertEquals("127.0.0.1", c.bind());
        assertEquals(8080, c.port());
        assertEquals(List.of("hes"), c.tokens().stream().map(t -> t.name()).toList());
        assertEquals(List.of("https://hes.example.com"), c.allowedOrigins());
        assertEquals(Path.of("/var/lib/gateway"), c.stateDir());
        assertEquals(List.of(BusType.MODBUS_TCP, BusType.MODBUS_RTU, BusType.MODBUS_RTU_OVER_TCP, BusType.DLMS_TCP),
                c.buses().stream().map(b -> b.type()).toList());

        List<DeviceConfig> rs485 = c.devicesOn("rs485-1");
        assertEquals(2, rs485.size(), "two meters on the RS-485 line");
        assertEquals(List.of(1, 2), rs485.stream().map(DeviceConfig::unitId).toList());
        assertTrue(c.bus("rs485-1").orElseThrow().serial().describe().contains("/dev/serial/by-id/"));
        assertEquals("dlms-standard", c.device("DLMS-0001").orElseThrow().profile());
        assertEquals(2, c.device("tank-1").orElseThrow().points().size(), "inline points");
        assertEquals(2, c.device("SDM120-0002").orElseThrow().pollGroups().size(), "a fast group");
    }

    /** Every example host is on a documentation network, so an untouched install polls nobody's device. */
    @Test
    void exampleHostsAreDocumentationAddresses() throws IOException {
        GatewayConfig c = ConfigLoader.load(installed());
        c.buses().stream().filter(b -> !b.type().serial()).forEach(b -> assertTrue(
                b.host().startsWith("192.0.2.") || b.host().startsWith("198.51.100.") || b.host().startsWith("203.0.113."),
                b.name() + " polls " + b.host() + ", not a documentation address (RFC 5737)"));
    }

    @Test
    void withoutItsTokenFileItIsRefusedWithTheKey() throws IOException {
        Path config = installed();
        Files.delete(etc.resolve("hes.token"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(config));
        assertTrue(e.getMessage().contains("security.tokens.0.token-file"), e.getMessage());
        assertFalse(e.getMessage().contains("0123456789abcdef"), "no secret in messages");
    }
}
