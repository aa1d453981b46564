package io.edgegateway.cli;

import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.modbus.ModbusRtuSimulator;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.testing.VirtualSerialCable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/gateway scan against simulated meters and a PLC on 127.0.0.1 and on a socat pty. */
@Timeout(60)
class ScanCommandTest {

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private ModbusTcpSimulator tcp(boolean rtuOverTcp, boolean strict, Object... unitsAndProfiles) throws Exception {
        ModbusTcpSimulator.Builder b = ModbusTcpSimulator.builder().rtuOverTcp(rtuOverTcp).strict(strict);
        for (int i = 0; i < unitsAndProfiles.length; i += 2) {
            int unit = (Integer) unitsAndProfiles[i];
            b.unit(unit, Cli.frozen((String) unitsAndProfiles[i + 1], unit));
        }
        ModbusTcpSimulator sim = b.build().start();
        closing.add(sim);
        return sim;
    }

    /** unit id → the profile named on its result line ("unit 5: em24 (...)"); "-" when none fits. */
    private static List<String> found(String out) {
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^unit (\\d+): (?!no answer)(\\S+)").matcher(out);
        while (m.find()) {
            lines.add(m.group(1) + "=" + (m.group(2).equals("answers") ? "-" : m.group(2)));
        }
        return lines;
    }

    @Test
    void modbusTcpFindsExactlyTheServedUnitsAndNamesTheirProfiles() throws Exception {
        ModbusTcpSimulator sim = tcp(false, false, 1, "sdm630", 2, "sdm120", 5, "em24");
        Cli.Run r = Cli.run("scan", "--tcp", "127.0.0.1:" + sim.port(), "--units", "1-6", "--progress", "none");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("1=sdm630", "2=sdm120", "5=em24"), found(r.out()), r.toString());
        // the evidence is on the line after each unit: three phases for the SDM630, one for the SDM120
        assertTrue(r.out().matches("(?s).*unit 1: sdm630.*\n    L1 Voltage \\d+\\.\\d V, Frequency \\d\\d\\.\\d Hz, "
                + "L2 Voltage .*, L3 Voltage .*"), r.out());
        assertTrue(r.out().contains("also fits, with fewer telling values: sdm120"), "an SDM630 also has every SDM120 "
                + "point: " + r.out());
        String sdm120 = r.out().substring(r.out().indexOf("unit 2:"), r.out().indexOf("unit 5:"));
        assertFalse(sdm120.contains("L2 Voltage"), sdm120);
        assertTrue(r.out().contains("Found 3 devices (6 unit ids"), r.out());
    }

    @Test
    void holdingRegisterMetersAndThePlcAreToldApartOnAStrictDevice() throws Exception {
        // strict: unused registers answer exception 02, so the probe itself gets an exception (still a device)
        ModbusTcpSimulator sim = tcp(false, true, 3, "iem3000", 4, "plc");
        Cli.Run r = Cli.run("scan", "--tcp", "127.0.0.1:" + sim.port(), "--units", "1-5", "--verbose", "--progress",
                "none");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("3=iem3000", "4=plc"), found(r.out()), r.toString());
        assertTrue(r.out().contains("probe: exception 02 ILLEGAL DATA ADDRESS to FC03 holding 0x0000"), r.out());
        assertTrue(r.out().contains("Station Tag \"TANK-01\""), r.out());
        // --verbose says why the others do not fit
        assertTrue(r.out().matches("(?s).*unit 3:.*\n    sdm630 +no: L1 Voltage: exception 02 ILLEGAL DATA ADDRESS.*"),
                r.out());
        assertTrue(r.out().contains("unit 1: no answer (gateway reports no answer (exception 0B"), r.out());
    }

    @Test
    void rtuOverTcpSkipsSilentUnitsAndReportsGarbledOnes() throws Exception {
        ModbusTcpSimulator sim = tcp(true, false, 1, "em24", 3, "plc", 4, "sdm120");
        sim.faults().set(4, FaultPlan.parse("corrupt-crc")); // as a wrong baud rate or noise would
        Cli.Run r = Cli.run("scan", "--rtu-over-tcp", "127.0.0.1:" + sim.port(), "--units", "1-5", "--timeout",
                "150ms", "--progress", "plain");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("1=em24", "3=plc", "4=garbled"), found(r.out()), r.toString());
        assertTrue(r.out().contains("em24 (Carlo Gavazzi EM24"), r.out());
        assertTrue(r.out().contains("unit 4: garbled answer (CRC error in the answer to unit 4 FC03"), r.out());
        assertTrue(r.out().contains("Found 2 devices (5 unit ids"), "a garbled answer is not a device found: " + r.out());
        assertTrue(r.out().contains("1 unit answered garbled: check baud rate, parity and stop bits"), r.out());
        assertTrue(r.err().startsWith("scan: unit 1 (1 of 5), 0 found"), "plain progress on stderr: " + r.err());
        assertFalse(r.err().contains("\r"), "no carriage returns when stderr is not a terminal");
    }

    @Test
    void serialLineThroughAPty(@TempDir Path dir) throws Exception {
        VirtualSerialCable pty = new VirtualSerialCable(dir);
        closing.add(pty);
        ModbusRtuSimulator sim = ModbusRtuSimulator.builder(SerialSettings.of(pty.a(), 19200))
                .unit(1, Cli.frozen("sdm630", 1)).unit(2, Cli.frozen("iem3000", 2)).build().start();
        closing.add(sim);
        Cli.Run r = Cli.run("scan", "--serial", pty.b(), "--baud", "19200", "--units", "1-3", "--timeout", "150",
                "--progress", "line");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("1=sdm630", "2=iem3000"), found(r.out()), r.toString());
        assertTrue(r.out().startsWith("Scanning rtu " + pty.b() + " 19200 8N1, units 1-3, timeout 150 ms"), r.out());
        assertTrue(r.err().contains("\rscan: unit 1 (1 of 3)"), "one line rewritten in place: " + r.err());
        assertTrue(r.err().endsWith("\r\033[K"), "the line is cleared at the end");
    }

    @Test
    void aUnitThatFitsNoProfileIsStillReported() throws Exception {
        // The PLC's tank level as an SDM630 voltage is about 1E-37 V: a PLC is no meter. Scanning with only the
        // meter profiles (a directory replacing plc with an empty-handed profile) leaves it without a fit.
        java.nio.file.Files.writeString(tmp.resolve("plc.yaml"), """
                name: plc
                description: a profile with nothing telling in it
                protocol: modbus
                points:
                  - {name: Counter, table: input, address: 8, type: uint32}
                """);
        ModbusTcpSimulator sim = tcp(false, false, 7, "plc");
        Cli.Run r = Cli.run("scan", "--tcp", "127.0.0.1:" + sim.port(), "--units", "7", "--profiles",
                tmp.toString(), "--progress", "none");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("unit 7: answers (FC03 holding 0x0000 = "), r.out());
        assertTrue(r.out().contains("no profile fits (shipped or from " + tmp + ")"), r.out());
        assertTrue(r.out().contains("Found 1 device (1 unit id"), r.out());
    }

    @Test
    void nothingThereExitsOneWithHints() throws Exception {
        ModbusTcpSimulator sim = tcp(true, false, 9, "sdm120");
        Cli.Run r = Cli.run("scan", "--rtu-over-tcp", "127.0.0.1:" + sim.port(), "--units", "1,2", "--timeout", "100",
                "--progress", "none");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("No device answered (2 unit ids"), r.out());
        assertTrue(r.out().contains("baud rate, parity"), r.out());
    }

    @Test
    void aRefusedConnectionEndsTheScanAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        Cli.Run r = Cli.run("scan", "--tcp", "127.0.0.1:" + port, "--progress", "none");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("gateway scan: connection to 127.0.0.1:" + port + " refused"), r.err());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "does not try all 247 units");
    }

    @Test
    void dlmsMeterSerialNumberAndProfile() throws Exception {
        DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0).serialNumber("62124022443")
                .build().start();
        closing.add(sim);
        sim.device().freeze(true);
        Cli.Run r = Cli.run("scan", "--dlms-tcp", "127.0.0.1:" + sim.port());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("meter answers as client 16: serial number 62124022443"), r.out());
        assertTrue(r.out().matches("(?s).*\n    dlms-standard fits \\(.*\\): L1 Voltage \\d+\\.\\d V, Frequency "
                + "\\d\\d\\.\\d Hz, .*"), r.out());
    }

    @Test
    void dlmsNothingListening() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Run r = Cli.run("scan", "--dlms-tcp", "127.0.0.1:" + port, "--timeout", "500ms");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("gateway scan: no DLMS association: "), r.err());
    }

    @Test
    void badOptionsExitTwoNamingTheProblem() {
        assertUsage("say where to look", "scan");
        assertUsage("give one target, not --tcp and --serial", "scan", "--tcp", "h", "--serial", "/dev/x");
        assertUsage("--baud is for --serial and --dlms-serial", "scan", "--tcp", "h", "--baud", "9600");
        assertUsage("--units: ids must be 1..247 here, got 0-300", "scan", "--serial", "/dev/x", "--units", "0-300");
        assertUsage("--units: range 9-2 runs backwards", "scan", "--tcp", "h", "--units", "9-2");
        assertUsage("--rtu-over-tcp needs HOST:PORT", "scan", "--rtu-over-tcp", "10.0.0.9");
        assertUsage("--timeout must be a duration", "scan", "--tcp", "h", "--timeout", "fast");
        assertUsage("--units is for Modbus targets", "scan", "--dlms-tcp", "h", "--units", "1");
        assertUsage("--parity: unknown parity 'mark'", "scan", "--serial", "/dev/x", "--parity", "mark");
        assertUsage("--progress must be", "scan", "--tcp", "h", "--progress", "fancy");
    }

    private static void assertUsage(String message, String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
    }
}
