package io.edgegateway.cli;

import io.edgegateway.command.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/gateway --help: every command listed, every command's help with usage and examples. */
@Timeout(60)
class GatewayHelpTest {

    private static final List<String> ALL = List.of("run", "demo", "check-config", "plan", "profiles", "scan", "read",
            "write", "history");

    @Test
    void helpListsEveryCommand() {
        Cli.Run r = Cli.run("--help");
        assertEquals(0, r.code(), r.toString());
        assertEquals(ALL, GatewayMain.commands().stream().map(Command::name).toList(), "the command list");
        for (String name : ALL) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + name + " ")), "--help lists " + name);
        }
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (Command c : GatewayMain.commands()) {
            Cli.Run r = Cli.run(c.name(), "--help");
            assertEquals(0, r.code(), c.name() + " --help: " + r);
            assertTrue(r.out().startsWith("bin/gateway " + c.name()), c.name() + " help starts with its usage line");
            assertTrue(r.out().contains("Example"), c.name() + " help has an example");
            assertTrue(r.out().contains("bin/gateway " + c.name() + " "), c.name() + " example is a real command line");
        }
    }

    @Test
    void fieldToolHelpNamesEveryOption() {
        String scan = Cli.run("scan", "--help").out();
        for (String s : List.of("--tcp", "--rtu-over-tcp", "--serial", "--baud", "--parity", "--stop-bits",
                "--dlms-tcp", "--dlms-serial", "--hdlc", "--mode-e", "--units", "--timeout", "--profiles",
                "--client", "--server-logical", "--server-physical", "--progress", "--verbose", "default 9600",
                "1-247 (default)")) {
            assertTrue(scan.contains(s), "scan help mentions " + s);
        }
        String read = Cli.run("read", "--help").out();
        for (String s : List.of("--unit", "--table", "--address", "--register", "--type", "--order", "--count",
                "--scale", "--bit", "--length", "--raw", "--profile", "--point", "--poll", "--times", "--obis",
                "--class", "--attribute", "--client", "--password", "--ek", "--ak", "--system-title", "--state-dir",
                "--timeout", "default holding", "default uint16", "default ABCD", "default 3,", "default 2,")) {
            assertTrue(read.contains(s), "read help mentions " + s);
        }
    }

    /** The real entry point, as bin/gateway runs it: its own JVM, System.exit with the code. */
    @Test
    void theLauncherMainPrintsHelpAndExitsZero() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.edgegateway.cli.GatewayMain", "--help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        for (String name : ALL) {
            assertTrue(out.contains("\n  " + name + " "), "bin/gateway --help lists " + name);
        }
        Process bad = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.edgegateway.cli.GatewayMain", "read", "--tcp", "127.0.0.1").redirectErrorStream(true).start();
        String badOut = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue(), badOut);
        assertTrue(badOut.contains("say what to read"), badOut);
    }
}
