package io.edgegateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/gateway check-config} as its own process (the way installers and systemd run it): exit codes, the
 * message on stderr, and environment variables overriding file values.
 */
class CheckConfigProcessTest {

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result gateway(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "check-config finishes");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Path config(String yaml) throws IOException {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String GOOD = """
            server: {port: 8080}
            buses: [{name: b, type: modbus-tcp, host: 10.0.0.5}]
            devices: [{meter-no: "62124022443", bus: b, unit-id: 1, profile: sdm630}]
            alerts: [{id: overvoltage, profile: sdm630, point: L1 Voltage, condition: gt, value: 253, for: 30s}]
            """;

    @Test
    void aGoodFileIsSummarisedAndEnvironmentVariablesOverrideIt() throws Exception {
        Path f = config(GOOD);
        Result ok = gateway(Map.of(), "check-config", f.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains(f + ": OK"), ok.out());
        assertTrue(ok.out().contains("127.0.0.1:8080"), ok.out());
        assertTrue(ok.out().contains("meter 62124022443 unit 1, profile sdm630"), ok.out());
        assertTrue(ok.out().contains("alert  {\"id\":\"overvoltage\",\"profile\":\"sdm630\",\"point\":\"L1 Voltage\""
                + ",\"condition\":\"gt\",\"value\":253"), "the rules as they parsed: " + ok.out());
        assertTrue(ok.out().contains("audit trail at most 100000 rows"), ok.out());

        Result env = gateway(Map.of("SERVER_PORT", "8081", "SSE_MAX_DASH_CLIENTS", "77"), "check-config", f.toString());
        assertEquals(0, env.code(), env.err());
        assertTrue(env.out().contains("127.0.0.1:8081"), "SERVER_PORT sets server.port: " + env.out());
        assertTrue(env.out().contains("max 77 clients"), "_DASH_ stands for - in keys: " + env.out());

        assertFalse(ok.out().contains("in flight"), "one at a time unless asked: " + ok.out());
        Result window = gateway(Map.of("BUSES_0_MAX_DASH_OUTSTANDING", "4"), "check-config", f.toString());
        assertEquals(0, window.code(), window.err());
        assertTrue(window.out().contains("bus    b: modbus-tcp 10.0.0.5:502, timeout 1000 ms, 4 transactions in flight"),
                window.out());

        // Lists the file lacks: numbered entries for tokens, one comma-separated value for origins.
        Result lists = gateway(Map.of("SECURITY_TOKENS_0_NAME", "hes", "SECURITY_TOKENS_0_TOKEN_DASH_ENV", "HES_SECRET",
                "HES_SECRET", "0123456789abcdef0123", "SECURITY_TOKENS_1_NAME", "ops",
                "SECURITY_TOKENS_1_TOKEN_DASH_ENV", "OPS_SECRET", "OPS_SECRET", "fedcba98765432100123"),
                "check-config", f.toString());
        assertEquals(0, lists.code(), lists.err());
        assertTrue(lists.out().contains("tokens: hes, ops"), lists.out());
        assertFalse(lists.out().contains("0123456789abcdef0123"), "secrets are never printed");
        Result badToken = gateway(Map.of("SECURITY_TOKENS_0_NAME", "hes"), "check-config", f.toString());
        assertEquals(2, badToken.code());
        assertTrue(badToken.err().contains("security.tokens.0") && badToken.err().contains("exactly one of token"),
                badToken.err());
    }

    @Test
    void runExitsWhenItsPortIsTakenInsteadOfPollingWithoutAServer() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path f = config(GOOD.replace("port: 8080", "port: " + taken.getLocalPort()));
            Result r = gateway(Map.of(), "run", "--config", f.toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("gateway: " + f + ": cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (port in use"), r.err());
        }
    }

    @Test
    void aBindAddressNotOnThisMachineIsAWarningForCheckConfigAndARetriedFailureForRun() throws Exception {
        // TEST-NET-3: never an address of a machine. Well formed, so the file loads: the address may come up later.
        Path f = config(GOOD.replace("port: 8080", "port: 0, bind: 203.0.113.77"));
        Result check = gateway(Map.of(), "check-config", f.toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("warning: server.bind 203.0.113.77 is not an address of this machine now"),
                check.out());
        Result run = gateway(Map.of(), "run", "--config", f.toString());
        assertEquals(1, run.code(), "not 2: systemd retries it\n" + run.err());
        assertTrue(run.err().contains("cannot listen on 203.0.113.77:0 (server.bind 203.0.113.77 is not an address of "
                + "this machine now"), run.err());
    }

    @Test
    void aBadFileExitsTwoNamingFileKeyAndProblem() throws Exception {
        Path f = config(GOOD.replace("profile: sdm630", "profile: sdm999"));
        Result bad = gateway(Map.of(), "check-config", f.toString());
        assertEquals(2, bad.code());
        assertEquals("gateway: " + f + ":3: devices.0.profile: unknown profile 'sdm999' (known: dlms-standard, em24, "
                + "iem3000, plc, sdm120, sdm630)", bad.err().strip());
        Result missing = gateway(Map.of(), "check-config", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.yaml: file not found"), missing.err());
        Result run = gateway(Map.of(), "run", "--config", f.toString());
        assertEquals(2, run.code(), "run refuses the same file before touching any device");
    }
}
