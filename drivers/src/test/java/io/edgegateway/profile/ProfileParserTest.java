package io.edgegateway.profile;

import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.point.WriteRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileParserTest {

    @TempDir
    Path dir;

    @Test
    void shippedProfilesLoadWithTheDesignAddresses() {
        ProfileCatalog catalog = ProfileCatalog.shipped();
        assertTrue(catalog.names().containsAll(java.util.List.of("sdm630", "sdm120", "em24", "iem3000", "plc")));

        Point v = catalog.find("sdm630").orElseThrow().point("L1 Voltage").orElseThrow();
        assertEquals(new ModbusAddress(Table.INPUT, 0x00, DataType.FLOAT32, WordOrder.ABCD, -1, 0), v.address());
        Point total = catalog.find("sdm630").orElseThrow().point("Total absolute cumulative active energy register").orElseThrow();
        assertEquals(0x156, ((ModbusAddress) total.address()).address());

        Point em24 = catalog.find("em24").orElseThrow().point("L1 Current").orElseThrow();
        assertEquals(new ModbusAddress(Table.INPUT, 0x0C, DataType.INT32, WordOrder.CDAB, -1, 0), em24.address());

        Point iem = catalog.find("iem3000").orElseThrow().point("L1 Voltage").orElseThrow();
        assertEquals(0x0BD3, ((ModbusAddress) iem.address()).address(), "manual register 3028 is address 0x0BD3");
        Point wh = catalog.find("iem3000").orElseThrow().point("Import active energy").orElseThrow();
        assertEquals(new ModbusAddress(Table.HOLDING, 0x0C83, DataType.INT64, WordOrder.ABCD, -1, 0), wh.address());
    }

    @Test
    void userDirectoryAddsAndOverridesProfiles() throws IOException {
        write("mine.yaml", """
                name: my-meter
                protocol: modbus
                defaults: {type: int16}
                points:
                  - {name: Temperature, register: 40011, scale: 0.1, unit: "°C", decimals: 1}
                  - {name: SunSpec ID, table: holding, register: 40001, type: uint32}
                  - {name: Energy, address: 0x20, type: uint32, order: CDAB, unit: kWh}
                """);
        ProfileCatalog catalog = ProfileCatalog.withDirectory(dir);
        DeviceProfile p = catalog.find("my-meter").orElseThrow();
        assertEquals(new ModbusAddress(Table.HOLDING, 10, DataType.INT16, WordOrder.ABCD, -1, 0),
                p.point("Temperature").orElseThrow().address(), "4xxxx numbering selects holding, from 1");
        assertEquals(40000, ((ModbusAddress) p.point("SunSpec ID").orElseThrow().address()).address(),
                "with an explicit table the number is literal (minus one)");
        assertTrue(catalog.find("sdm630").isPresent());
    }

    @Test
    void dlmsPointsUseCosemAddresses() throws IOException {
        Path f = write("dlms.yaml", """
                name: dlms-test
                protocol: dlms
                points:
                  - {name: Total absolute cumulative active energy register, cosem: 3/1.0.15.8.0.255/2, scale: 0.001, unit: kWh, decimals: 2}
                  - {name: Remaining Credit Amount, cosem: "111/0-0:19.0.0*255/5", decimals: 2}
                """);
        DeviceProfile p = ProfileParser.parse(ConfigNode.readFile(f));
        CosemAddress a = (CosemAddress) p.points().get(1).address();
        assertEquals("111/0.0.19.0.0.255/5", a.describe());
    }

    @Test
    void unknownKeyNamesFileKeyAndAllowedKeys() throws IOException {
        Path f = write("bad.yaml", """
                name: bad
                points:
                  - {name: V, address: 0, unti: V}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ProfileParser.parse(ConfigNode.readFile(f)));
        assertEquals(f.toString(), e.source());
        assertEquals("points.0.unti", e.key());
        assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("unit"), "lists the allowed keys: " + e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndTheProblem() throws IOException {
        assertProblem("""
                name: bad
                points:
                  - {name: V, address: 0, type: float33}
                """, "points.0.type", "unknown type 'float33'");
        assertProblem("""
                name: bad
                points:
                  - {name: V, address: 70000}
                """, "points.0.address", "must be 0..65535");
        assertProblem("""
                name: bad
                points:
                  - {name: V, address: 0}
                  - {name: V, address: 2}
                """, "points.1.name", "appears twice");
        assertProblem("""
                name: bad
                points:
                  - {name: Flag, address: 0, type: bool}
                """, "points.0", "needs bit 0..15");
        assertProblem("""
                name: bad
                points:
                  - {name: V, address: 0, register: 1}
                """, "points.0", "either address");
        assertProblem("""
                name: bad
                protocol: dlms
                points:
                  - {name: V, address: 0}
                """, "points.0.address", "not a DLMS key");
        assertProblem("""
                name: bad
                points: [
                """, "", "cannot parse YAML");
        assertProblem("""
                name: bad
                points:
                  - {name: timestamp, address: 0}
                """, "points.0.name", "is a key of every reading already");
    }

    @Test
    void thePlcsSetpointsAndCommandsAreWritableWithTheirRanges() {
        DeviceProfile plc = ProfileCatalog.shipped().find("plc").orElseThrow();
        WriteRange speed = plc.point("Pump Speed Setpoint").orElseThrow().write();
        assertEquals(new WriteRange(new BigDecimal("0"), new BigDecimal("100"), new BigDecimal("0.5")), speed);
        assertEquals(new WriteRange(new BigDecimal("0"), new BigDecimal("2"), new BigDecimal("1")),
                plc.point("Operating Mode").orElseThrow().write());
        assertEquals(WriteRange.ANY, plc.point("Pump Enable").orElseThrow().write(), "a coil: on or off");
        assertEquals(List.of("Level High Setpoint", "Level Low Setpoint", "Pump Speed Setpoint", "Operating Mode",
                "Pump Enable", "Manual Pump Run"), plc.points().stream().filter(Point::writable).map(Point::name)
                .toList(), "and nothing else: process values, states and the station tag stay read only");
        assertFalse(ProfileCatalog.shipped().find("sdm630").orElseThrow().points().stream()
                .anyMatch(Point::writable), "meters' measurements are read only");
    }

    @Test
    void writableKeysAreCheckedAtLoad() throws IOException {
        assertProblem("""
                name: bad
                points:
                  - {name: V, table: input, address: 0, writable: true}
                """, "points.0.writable", "a input cannot be written");
        assertProblem("""
                name: bad
                points:
                  - {name: D, table: discrete, address: 0, writable: true}
                """, "points.0.writable", "only holding registers and coils");
        assertProblem("""
                name: bad
                points:
                  - {name: S, table: holding, address: 0, writable: true, min: 10, max: 5}
                """, "points.0.min", "is above max");
        assertProblem("""
                name: bad
                points:
                  - {name: S, table: holding, address: 0, writable: true, step: 0}
                """, "points.0.step", "must be above 0");
        assertProblem("""
                name: bad
                points:
                  - {name: S, table: holding, address: 0, writable: true, max: lots}
                """, "points.0.max", "expected a number, got 'lots'");
        // Refused before min <= max compares them, or a write's onStep expands them.
        assertProblem("""
                name: bad
                points:
                  - {name: S, table: holding, address: 0, writable: true, min: 0, step: 1E+100000000}
                """, "points.0.step", "at most 40 digits before the decimal point and 30 after");
        assertProblem("""
                name: bad
                points:
                  - {name: S, table: holding, address: 0, writable: true, min: 1E-31}
                """, "points.0.min", "too many digits");
        assertProblem("""
                name: bad
                points:
                  - {name: S, table: holding, address: 0, writable: yes please}
                """, "points.0.writable", "expected true or false");
        assertProblem("""
                name: bad
                points:
                  - {name: S, table: holding, address: 0, max: 5}
                """, "points.0.max", "add writable: true");
        assertProblem("""
                name: bad
                points:
                  - {name: C, table: coil, address: 0, writable: true, max: 1}
                """, "points.0.max", "a bool is on or off");
        assertProblem("""
                name: bad
                points:
                  - {name: T, table: holding, address: 0, type: string, length: 4, writable: true}
                """, "points.0.writable", "text points cannot be written");
        // A DLMS attribute may be writable (SET).
        Path f = write("dlms.yaml", """
                name: dlms-set
                protocol: dlms
                points:
                  - {name: Threshold, cosem: 71/0.0.17.0.0.255/4, writable: true, min: 0, max: 60000}
                """);
        assertEquals(new WriteRange(BigDecimal.ZERO, new BigDecimal("60000"), null),
                ProfileParser.parse(ConfigNode.readFile(f)).point("Threshold").orElseThrow().write());
    }

    private void assertProblem(String yaml, String key, String problem) throws IOException {
        Path f = write("p.yaml", yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> ProfileParser.parse(ConfigNode.readFile(f)));
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
