package io.edgegateway.simulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/simulator: every command's help, and option errors (exit 2 with a message). */
class SimulatorMainTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = SimulatorMain.commandSet().run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandWithEveryOption() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String s : List.of("modbus-tcp", "modbus-rtu", "dlms-tcp", "dlms-serial", "dashboards",
                "--port", "--bind", "--rtu-over-tcp", "--unit", "--profiles", "--strict", "--fault", "--device",
                "--baud", "--parity", "--stop-bits", "delay=", "corrupt-crc", "drop-every", "flap", "exception=",
                "silent", "sdm630",
                "--hdlc", "--mode-e", "--server-logical", "--server-physical", "--serial-number", "--password", "--ek",
                "--ak", "--system-title", "--max-pdu", "--hdlc-max-info", "--no-with-list", "--delay", "--silent",
                "--fail", "--corrupt-frames", "--truncate-frames", "--freeze", "--seed", "--profile",
                "--url", "--clients", "--hold")) {
            assertTrue(r.out().contains(s), "help mentions " + s);
        }
        assertTrue(run("dlms-tcp", "--help").out().contains("Examples:"));
    }

    @Test
    void badOptionsExitTwoNamingTheProblem() {
        Run unknownProfile = run("modbus-tcp", "--unit", "1=sdm999");
        assertEquals(2, unknownProfile.code());
        assertTrue(unknownProfile.err().contains("unknown profile 'sdm999' (known: em24, iem3000, plc, sdm120, sdm630)"),
                unknownProfile.err());
        assertEquals(2, run("modbus-tcp").code(), "no unit");
        assertEquals(2, run("modbus-tcp", "--unit", "1=sdm630", "--port", "http").code());
        assertEquals(2, run("modbus-tcp", "--unit", "1=sdm630", "--fault", "3:silent").code(), "fault for a unit not served");
        assertEquals(2, run("modbus-tcp", "--unit", "1=sdm630", "--fault", "slow").code());
        Run unknown = run("modbus-tcp", "--unit", "1=sdm630", "--colour");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown option --colour (options: --bind --fault --log --port --profiles"
                + " --rtu-over-tcp --strict --unit)"), unknown.err());
        Run twice = run("modbus-tcp", "--unit", "1=sdm630", "--port", "5020", "--port", "5021");
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("--port given 2 times"), "not silently the last one: " + twice.err());
        assertEquals(2, run("modbus-tcp", "--unit", "1=sdm630", "stray").code(), "no positional arguments");
        Run noDevice = run("modbus-rtu", "--unit", "1=sdm120");
        assertEquals(2, noDevice.code());
        assertTrue(noDevice.err().contains("--device"), noDevice.err());
        assertEquals(2, run("modbus-rtu", "--device", "/dev/null", "--unit", "1=sdm120", "--parity", "mark").code());

        Run dlms = run("dlms-tcp", "--device", "x");
        assertEquals(2, dlms.code());
        assertTrue(dlms.err().contains("--device is a dlms-serial option"), dlms.err());
        assertTrue(run("dlms-serial").err().contains("--device PATH is required"));
        assertTrue(run("dlms-tcp", "--ek", "00").err().contains("--ek needs 32 hex digits"));
        assertEquals(2, run("dashboards").code(), "--url is required");
    }
}
