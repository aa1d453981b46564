package io.edgegateway.sim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/simulator's Modbus commands: help and option errors (exit 2 with a message). */
class SimulatorMainTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = new SimulatorMain(SimulatorMain.allCommands()).run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpListsBothModbusCommandsWithEveryOption() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String s : new String[] {"modbus-tcp", "modbus-rtu", "--port", "--bind", "--rtu-over-tcp", "--unit",
                "--profiles", "--strict", "--fault", "--device", "--baud", "--parity", "--stop-bits", "delay=",
                "corrupt-crc", "drop-every", "flap", "exception=", "silent", "sdm630"}) {
            assertTrue(r.out().contains(s), "help mentions " + s);
        }
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
        assertEquals(2, run("modbus-tcp", "--unit", "1=sdm630", "--colour").code());
        Run noDevice = run("modbus-rtu", "--unit", "1=sdm120");
        assertEquals(2, noDevice.code());
        assertTrue(noDevice.err().contains("--device"), noDevice.err());
        assertEquals(2, run("modbus-rtu", "--device", "/dev/null", "--unit", "1=sdm120", "--parity", "mark").code());
    }
}
