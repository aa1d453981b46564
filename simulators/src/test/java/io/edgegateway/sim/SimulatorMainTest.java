package io.edgegateway.sim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorMainTest {

    private static String out(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            SimulatorMain.commandSet().run(args, System.out, System.err);
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void helpListsTheDlmsCommandsWithEveryOption() {
        String help = out("--help");
        assertTrue(help.contains("dlms-tcp") && help.contains("dlms-serial"), help);
        for (String opt : List.of("--port", "--hdlc", "--bind", "--device", "--baud", "--mode-e", "--server-logical",
                "--server-physical", "--serial-number", "--password", "--ek", "--ak", "--system-title", "--max-pdu",
                "--hdlc-max-info", "--no-with-list", "--delay", "--silent", "--fail", "--corrupt-frames",
                "--truncate-frames", "--freeze", "--seed", "--profile")) {
            assertTrue(help.contains(opt), "help mentions " + opt);
        }
        assertTrue(out("dlms-tcp", "--help").contains("Examples:"));
    }

    @Test
    void badOptionsExitWithUsage() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            assertEquals(2, SimulatorMain.commandSet().run(new String[] {"dlms-tcp", "--device", "x"}, System.out, System.err));
            assertEquals(2, SimulatorMain.commandSet().run(new String[] {"dlms-serial"}, System.out, System.err));
            assertEquals(2, SimulatorMain.commandSet().run(new String[] {"dlms-tcp", "--ek", "00"}, System.out, System.err));
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().contains("--device is a dlms-serial option"), err.toString());
        assertTrue(err.toString().contains("--device PATH is required"), err.toString());
        assertTrue(err.toString().contains("--ek needs 32 hex digits"), err.toString());
    }
}
