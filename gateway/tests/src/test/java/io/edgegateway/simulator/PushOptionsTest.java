package io.edgegateway.simulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/simulator dlms-tcp --push HOST:PORT --push-every D}: documented, and refused when malformed. */
class PushOptionsTest {

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
    void theHelpListsThePushOptions() {
        String help = run("dlms-tcp", "--help").out();
        assertTrue(help.contains("--push HOST:PORT"), help);
        assertTrue(help.contains("--push-every DURATION"), help);
        assertTrue(help.contains("--push 127.0.0.1:4059 --push-every 15s"), help);
    }

    @Test
    void aMalformedTargetOrIntervalExitsTwo() {
        Run noPort = run("dlms-tcp", "--port", "0", "--push", "localhost");
        assertEquals(2, noPort.code());
        assertTrue(noPort.err().contains("--push needs HOST:PORT"), noPort.err());
        Run zero = run("dlms-tcp", "--port", "0", "--push", "127.0.0.1:4059", "--push-every", "0s");
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--push-every must be above 0"), zero.err());
        Run bad = run("dlms-tcp", "--port", "0", "--push", "127.0.0.1:4059", "--push-every", "often");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--push-every must be a duration"), bad.err());
    }
}
