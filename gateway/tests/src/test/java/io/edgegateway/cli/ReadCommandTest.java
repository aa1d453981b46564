package io.edgegateway.cli;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.point.PointValue;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.dlms.MeterAccess;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusRtuSimulator;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.testing.VirtualSerialCable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/gateway read against simulators whose values are pinned, so every decoded value is known exactly. */
@Timeout(60)
class ReadCommandTest {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private static PointValue number(String v) {
        return new PointValue.Number(new BigDecimal(v));
    }

    /** Modbus TCP with an SDM630 (1), an EM24 (2), an iEM3000 (3) and the PLC (4), values pinned. */
    private String modbus(boolean strict) throws Exception {
        SimulatedDevice sdm630 = Cli.frozen("sdm630", 1);
        sdm630.pin("L1 Voltage", number("230.1"));
        sdm630.pin("L2 Voltage", number("-0.5"));
        sdm630.pin("Frequency", number("49.98"));
        SimulatedDevice em24 = Cli.frozen("em24", 2);
        em24.pin("L1 Voltage", number("230.1"));
        em24.pin("L1 Current", number("5.125"));
        em24.pin("Import active energy", number("123456.7"));
        SimulatedDevice iem = Cli.frozen("iem3000", 3);
        iem.pin("L1 Voltage", number("231.5"));
        iem.pin("Import active energy", number("98765.432"));
        SimulatedDevice plc = Cli.frozen("plc", 4);
        plc.pin("Tank Level", number("52.3"));
        plc.pin("Level Sensor OK", new PointValue.Flag(true));
        plc.pin("Cabinet Door Open", new PointValue.Flag(true));
        plc.pin("Pump Enable", new PointValue.Flag(true));
        plc.pin("Manual Pump Run", new PointValue.Flag(false));
        plc.pin("Water Temperature", number("-3.5"));
        ModbusTcpSimulator sim = ModbusTcpSimulator.builder().strict(strict).unit(1, sdm630).unit(2, em24)
                .unit(3, iem).unit(4, plc).build().start();
        closing.add(sim);
        return "127.0.0.1:" + sim.port();
    }

    private static Cli.Run read(String target, String... args) {
        List<String> all = new ArrayList<>(List.of("read", "--tcp", target));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    private static void assertOut(Cli.Run r, String... lines) {
        assertEquals(0, r.code(), r.toString());
        assertEquals(String.join("\n", lines) + "\n", r.out(), r.toString());
        assertEquals("", r.err());
    }

    @Test
    void float32HighWordFirst() throws Exception {
        String t = modbus(false);
        assertOut(read(t, "--unit", "1", "--table", "input", "--address", "0", "--type", "float32", "--count", "2",
                "--raw"),
                "input 0x0000 (30001) float32 ABCD: 230.1  [4366 199A]",
                "input 0x0002 (30003) float32 ABCD: -0.5  [BF00 0000]");
        // the manual's number picks the table; "float" is accepted for float32
        assertOut(read(t, "--unit", "1", "--register", "30071", "--type", "float"),
                "input 0x0046 (30071) float32 ABCD: 49.98");
        // the same registers with the wrong word order: the decoder says so by its absurd value
        assertOut(read(t, "--unit", "1", "--table", "input", "--address", "0", "--type", "float32", "--order", "CDAB"),
                "input 0x0000 (30001) float32 CDAB: 1.595045E-23");
    }

    @Test
    void int32LowWordFirstScaled() throws Exception {
        String t = modbus(false);
        assertOut(read(t, "--unit", "2", "--table", "input", "--address", "0", "--type", "int32", "--order", "CDAB",
                "--scale", "0.1", "--raw"),
                "input 0x0000 (30001) int32 CDAB x0.1: 230.1  [08FD 0000]");
        assertOut(read(t, "--unit", "2", "--register", "30013", "--type", "int32", "--order", "CDAB", "--scale",
                "0.001"),
                "input 0x000C (30013) int32 CDAB x0.001: 5.125");
        assertOut(read(t, "--unit", "2", "--table", "input", "--address", "0x42", "--type", "int32", "--order",
                "CDAB", "--scale", "0.1"),
                "input 0x0042 (30067) int32 CDAB x0.1: 123456.7");
    }

    @Test
    void holdingRegistersByManualNumberAndInt64() throws Exception {
        String t = modbus(false);
        // iEM3000: register 3028 of the manual is address 3027 of the holding registers (the default table)
        assertOut(read(t, "--unit", "3", "--register", "3028", "--type", "float32"),
                "holding 0x0BD3 (43028) float32 ABCD: 231.5");
        assertOut(read(t, "--unit", "3", "--register", "43204", "--type", "int64", "--scale", "0.001"),
                "holding 0x0C83 (43204) int64 ABCD x0.001: 98765.432");
    }

    @Test
    void plcStringsBitsCoilsAndScaledWords() throws Exception {
        String t = modbus(false);
        assertOut(read(t, "--unit", "4", "--address", "10", "--type", "string", "--length", "8"),
                "holding 0x000A (40011) string[8]: \"TANK-01\"");
        // the status word: bit 0 sensor OK, bit 3 door open
        assertOut(read(t, "--unit", "4", "--table", "input", "--address", "11", "--bit", "0", "--count", "4"),
                "input 0x000B (30012) bool bit 0: 1",
                "input 0x000B (30012) bool bit 1: 0",
                "input 0x000B (30012) bool bit 2: 0",
                "input 0x000B (30012) bool bit 3: 1");
        assertOut(read(t, "--unit", "4", "--table", "coil", "--address", "0", "--count", "2"),
                "coil 0x0000 (00001) bool: 1",
                "coil 0x0001 (00002) bool: 0");
        assertOut(read(t, "--unit", "4", "--table", "input", "--address", "0", "--scale", "0.1"),
                "input 0x0000 (30001) uint16 x0.1: 52.3");
        assertOut(read(t, "--unit", "4", "--table", "input", "--address", "4", "--type", "int16", "--scale", "0.1",
                "--raw"),
                "input 0x0004 (30005) int16 x0.1: -3.5  [FFDD]");
    }

    @Test
    void profilePointsInReadingFormat() throws Exception {
        String t = modbus(true);
        assertOut(read(t, "--unit", "1", "--profile", "sdm630", "--point", "L1 Voltage", "--point", "Frequency"),
                "L1 Voltage  230.1 V",
                "Frequency   50.0 Hz");
        Cli.Run em24 = read(t, "--unit", "2", "--profile", "em24");
        assertEquals(0, em24.code(), em24.toString());
        assertTrue(em24.out().matches("(?s).*\nL1 Current {23}5\\.125 A\n.*"), em24.out());
        assertTrue(em24.out().matches("(?s).*\nPhase Sequence {19}L1-L2-L3\n.*"), em24.out());
        assertTrue(em24.out().matches("(?s).*\nImport active energy {13}123456\\.7 kWh\n"), em24.out());
    }

    @Test
    void pollingRepeatsWithTimestamps() throws Exception {
        String t = modbus(false);
        Cli.Run r = read(t, "--unit", "1", "--register", "30001", "--type", "float32", "--poll", "50ms", "--times", "3");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        for (String l : lines) {
            assertTrue(l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d  input 0x0000 \\(30001\\) float32 ABCD: 230\\.1"), l);
        }
    }

    @Test
    void deviceErrorsExitOneWithTheReason() throws Exception {
        String t = modbus(true);
        Cli.Run refused = read(t, "--unit", "1", "--table", "input", "--address", "0x0100");
        assertEquals(1, refused.code(), refused.toString());
        assertEquals("gateway read: exception 02 ILLEGAL DATA ADDRESS from unit 1 FC04 input 0x0100+1 on modbus-tcp "
                + t + "\n", refused.err());
        assertEquals("", refused.out());

        Cli.Run noUnit = read(t, "--unit", "9", "--address", "0");
        assertEquals(1, noUnit.code(), noUnit.toString());
        assertTrue(noUnit.err().startsWith("gateway read: gateway reports no answer (exception 0B"), noUnit.err());

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Run closed = read("127.0.0.1:" + port, "--address", "0");
        assertEquals(1, closed.code(), closed.toString());
        assertTrue(closed.err().startsWith("gateway read: connection to 127.0.0.1:" + port + " refused"), closed.err());

        // in a profile, a point the device refuses shows in its line and in the exit code...
        Cli.Run point = read(t, "--unit", "1", "--profile", "plc", "--point", "Tank Level", "--point",
                "Level High Setpoint");
        assertEquals(1, point.code(), point.toString());
        assertTrue(point.out().matches("Tank Level {11}\\d+\\.\\d %\nLevel High Setpoint  unreadable: .*exception 02.*\n"),
                point.out());
        // ...and when it refuses every point, that is the error
        Cli.Run none = read(t, "--unit", "3", "--profile", "sdm630", "--point", "L1 Voltage");
        assertEquals(1, none.code(), none.toString());
        assertTrue(none.err().startsWith("gateway read: exception 02 ILLEGAL DATA ADDRESS from unit 3 FC04"), none.err());
    }

    @Test
    void silentUnitOnRtuOverTcpTimesOut() throws Exception {
        ModbusTcpSimulator sim = ModbusTcpSimulator.builder().rtuOverTcp(true).unit(1, Cli.frozen("sdm120", 1))
                .build().start();
        closing.add(sim);
        long t0 = System.nanoTime();
        Cli.Run r = Cli.run("read", "--rtu-over-tcp", "127.0.0.1:" + sim.port(), "--unit", "7", "--address", "0",
                "--timeout", "150");
        assertEquals(1, r.code(), r.toString());
        assertEquals("gateway read: no answer within 150 ms to unit 7 FC03 holding 0x0000+1 on rtu-over-tcp 127.0.0.1:"
                + sim.port() + "\n", r.err());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    void serialLineThroughAPty(@TempDir Path dir) throws Exception {
        VirtualSerialCable pty = new VirtualSerialCable(dir);
        closing.add(pty);
        SimulatedDevice em24 = Cli.frozen("em24", 5);
        em24.pin("L1 Voltage", number("229.9"));
        ModbusRtuSimulator sim = ModbusRtuSimulator.builder(SerialSettings.of(pty.a(), 9600).withParity(
                io.edgegateway.serial.Parity.EVEN, 1)).unit(5, em24).build().start();
        closing.add(sim);
        Cli.Run r = Cli.run("read", "--serial", pty.b(), "--parity", "even", "--unit", "5", "--register", "30001",
                "--type", "int32", "--order", "CDAB", "--scale", "0.1");
        assertOut(r, "input 0x0000 (30001) int32 CDAB x0.1: 229.9");
    }

    @Test
    void dlmsRegisterWithItsUnit() throws Exception {
        DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0).build().start();
        closing.add(sim);
        sim.device().freeze(true);
        sim.device().pin("L1 Voltage", number("230.1"));
        sim.device().pin("Import active energy", number("1456.78"));
        String t = "127.0.0.1:" + sim.port();
        assertOut(Cli.run("read", "--dlms-tcp", t, "--obis", "1.0.32.7.0.255"), "3/1.0.32.7.0.255/2: 230.1 V");
        // energy comes in the meter's own unit, scaler applied
        Cli.Run energy = Cli.run("read", "--dlms-tcp", t, "--obis", "1.0.1.8.0.255");
        assertEquals(0, energy.code(), energy.toString());
        assertTrue(energy.out().matches("3/1\\.0\\.1\\.8\\.0\\.255/2: 14567\\d\\d Wh\n"), energy.out());
        assertOut(Cli.run("read", "--dlms-tcp", t, "--obis", "0.0.96.1.0.255", "--class", "1"),
                "1/0.0.96.1.0.255/2: " + sim.serialNumber());
        Cli.Run profile = Cli.run("read", "--dlms-tcp", t, "--profile", "dlms-standard", "--point", "L1 Voltage",
                "--point", "Import active energy");
        assertOut(profile, "L1 Voltage            230.1 V", "Import active energy  1456.78 kWh");
    }

    @Test
    void aLoadProfileByRangeOneLinePerRow() throws Exception {
        DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0).build().start();
        closing.add(sim);
        String t = "127.0.0.1:" + sim.port();
        java.time.Instant to = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Cli.Run r = Cli.run("read", "--dlms-tcp", t, "--profile-generic", "1.0.99.1.0.255", "--from",
                to.minusSeconds(3600).toString(), "--to", to.toString());
        assertEquals(0, r.code(), r.toString());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("# 1.0.99.1.0.255: capture period 900 s, ") && lines[0].contains("5 rows"),
                lines[0]);
        assertTrue(lines[1].startsWith("8/0.0.1.0.0.255/2  1/0.0.96.10.1.255/2  3/1.0.1.8.0.255/2 [Wh]"), lines[1]);
        assertEquals(7, lines.length, "shape, header, the five quarter hours from one hour to the next: " + r.out());
        assertTrue(lines[2].startsWith(to.minusSeconds(3600).toString() + "  0  "), lines[2]);
        Cli.Run bad = Cli.run("read", "--dlms-tcp", t, "--profile-generic", "1.0.99.1");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--profile-generic must be an OBIS code"), bad.err());
        Cli.Run alone = Cli.run("read", "--dlms-tcp", t, "--from", to.toString());
        assertEquals(2, alone.code(), alone.toString());
    }

    @Test
    void dlmsDataAccessErrorAndRefusedPassword() throws Exception {
        DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0)
                .access(MeterAccess.defaults().withPassword("s3cret-pw")).build().start();
        closing.add(sim);
        sim.faults().failAttribute(ObisCode.parse("1.0.32.7.0.255"), 2, DataAccessResult.OBJECT_UNDEFINED);
        String t = "127.0.0.1:" + sim.port();
        Cli.Run undefined = Cli.run("read", "--dlms-tcp", t, "--obis", "1.0.32.7.0.255");
        assertEquals(1, undefined.code(), undefined.toString());
        assertEquals("gateway read: meter answered object-undefined (4) for 3/1.0.32.7.0.255/2\n", undefined.err());

        Cli.Run lls = Cli.run("read", "--dlms-tcp", t, "--obis", "1.0.52.7.0.255", "--password", "s3cret-pw");
        assertEquals(0, lls.code(), lls.toString());
        assertTrue(lls.out().startsWith("3/1.0.52.7.0.255/2: "), lls.out());

        Cli.Run wrong = Cli.run("read", "--dlms-tcp", t, "--obis", "1.0.52.7.0.255", "--password", "not-it-XYZ",
                "--timeout", "1s");
        assertEquals(1, wrong.code(), wrong.toString());
        assertTrue(wrong.err().contains("association refused"), wrong.err());
        assertFalse(wrong.toString().contains("not-it-XYZ"), "the password is never printed");

        Cli.Run badKey = Cli.run("read", "--dlms-tcp", t, "--obis", "1.0.52.7.0.255", "--ek", "00112233XYZ", "--ak",
                "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF", "--system-title", "4D4D4D0000000001");
        assertEquals(2, badKey.code(), badKey.toString());
        assertTrue(badKey.err().contains("--ek needs 32 hex digits"), badKey.err());
        assertFalse(badKey.toString().contains("00112233XYZ") || badKey.toString().contains("D0D1D2"),
                "keys are never printed");
    }

    @Test
    void badOptionsExitTwoNamingTheProblem() {
        String t = "127.0.0.1:1";
        assertUsage("say what to read: --address N", "read", "--tcp", t);
        assertUsage("give --address (0-based) or --register (1-based), not both", "read", "--tcp", t, "--address", "0",
                "--register", "1");
        assertUsage("--register 300001 is in the input registers, not the holding ones", "read", "--tcp", t,
                "--register", "300001", "--table", "holding");
        assertUsage("--type string needs --length N", "read", "--tcp", t, "--address", "0", "--type", "string");
        assertUsage("a bool in a register needs --bit 0-15", "read", "--tcp", t, "--address", "0", "--type", "bool");
        assertUsage("coil values are bits", "read", "--tcp", t, "--table", "coil", "--address", "0", "--type",
                "int16");
        assertUsage("--type: unknown type 'int24'", "read", "--tcp", t, "--address", "0", "--type", "int24");
        assertUsage("--order: unknown byte/word order 'ACBD'", "read", "--tcp", t, "--address", "0", "--order", "ACBD");
        assertUsage("--scale must be a number such as 0.1, got 'x'", "read", "--tcp", t, "--address", "0", "--scale",
                "x");
        assertUsage("--obis is for DLMS targets", "read", "--tcp", t, "--obis", "1.0.32.7.0.255");
        assertUsage("--address is for Modbus targets", "read", "--dlms-tcp", t, "--address", "0");
        assertUsage("--obis wants six numbers", "read", "--dlms-tcp", t, "--obis", "1.0.32");
        assertUsage("unknown profile 'sdm999'", "read", "--tcp", t, "--profile", "sdm999");
        assertUsage("profile sdm630 has no point 'Voltage L1'", "read", "--tcp", t, "--profile", "sdm630", "--point",
                "Voltage L1");
        assertUsage("profile dlms-standard is dlms; this target is modbus", "read", "--tcp", t, "--profile",
                "dlms-standard");
        assertUsage("--point picks points of a --profile", "read", "--tcp", t, "--point", "L1 Voltage");
        assertUsage("--unit must be 1..247", "read", "--serial", "/dev/null", "--unit", "0", "--address", "0");
        assertUsage("--poll must be a duration", "read", "--tcp", t, "--address", "0", "--poll", "often");
    }

    private static void assertUsage(String message, String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
    }
}
