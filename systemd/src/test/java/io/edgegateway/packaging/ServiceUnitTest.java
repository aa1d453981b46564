package io.edgegateway.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ServiceUnitTest {

    private static final Path SERVICE = SourceTree.MODULE.resolve("gateway.service");
    private static final Path SIMULATOR = SourceTree.MODULE.resolve("gateway-simulator@.service");
    private static final Path JVM_OPTIONS = SourceTree.ROOT.resolve("bin/lib/jvm.options");

    @TempDir
    Path dir;

    /**
     * systemd-analyze verify refuses a unit whose ExecStart binary is missing, and /opt/gateway does not exist
     * on a build machine: verify a copy whose ExecStart points at the source tree's launcher instead (same
     * arguments). Any warning about the unit (an unknown or misspelt key, a bad value) fails the test, not
     * just a non-zero exit, because verify exits 0 on "Unknown key ... ignoring".
     */
    @Test
    void systemdAnalyzeVerifyFindsNothingToSay() throws IOException {
        ExternalCommand.require("systemd-analyze",
                "systemd-analyze is not installed (apt-get install systemd): the unit files cannot be verified");
        Path service = copyWithExecStart(SERVICE, "gateway.service", "/opt/gateway/bin/gateway",
                SourceTree.ROOT.resolve("bin/gateway"));
        Path simulator = copyWithExecStart(SIMULATOR, "gateway-simulator@.service", "/opt/gateway/bin/simulator",
                SourceTree.ROOT.resolve("bin/simulator"));

        for (String unit : List.of(service.toString(), dir.resolve("gateway-simulator@rig.service").toString())) {
            ExternalCommand.Result r = ExternalCommand.run(List.of("systemd-analyze", "verify", unit));
            assertEquals(0, r.exit(), () -> "systemd-analyze verify " + unit + "\n" + r);
            String aboutOurs = r.output().lines()
                    .filter(l -> l.contains("gateway.service") || l.contains("gateway-simulator@"))
                    .reduce("", (a, b) -> a + b + "\n");
            assertEquals("", aboutOurs, "systemd-analyze verify warned about the unit");
        }
        assertTrue(Files.exists(simulator));
    }

    /** The sandbox as systemd scores it (0 = locked down, 10 = none); 1.7 when written. */
    @Test
    void exposureStaysLow() throws IOException {
        ExternalCommand.require("systemd-analyze",
                "systemd-analyze is not installed (apt-get install systemd): the exposure cannot be scored");
        Path service = copyWithExecStart(SERVICE, "gateway.service", "/opt/gateway/bin/gateway",
                SourceTree.ROOT.resolve("bin/gateway"));
        ExternalCommand.Result r = ExternalCommand.run(List.of("systemd-analyze", "security", "--offline=true",
                "--threshold=25", service.toString()));
        assumeTrue(!r.output().contains("unrecognized option"), "this systemd-analyze has no offline security scoring");
        assertEquals(0, r.exit(), () -> "exposure above 2.5:\n" + r);
    }

    @Test
    void runsTheGatewayAsItsOwnUserWithSerialAccess() {
        UnitFile u = UnitFile.read(SERVICE);
        assertEquals("/opt/gateway/bin/gateway run --config /etc/gateway/gateway.yaml", u.one("Service", "ExecStart"));
        assertEquals("gateway", u.one("Service", "User"));
        assertEquals("dialout", u.one("Service", "SupplementaryGroups"));
        assertEquals("on-failure", u.one("Service", "Restart"));
        assertNotNull(u.one("Service", "RestartSec"));
        assertEquals("0", u.one("Unit", "StartLimitIntervalSec"), "an appliance never stops retrying");
        assertEquals("143", u.one("Service", "SuccessExitStatus"), "SIGTERM ends the JVM with 143: a clean stop");
        assertEquals("2", u.one("Service", "RestartPreventExitStatus"), "a bad config is not restarted in a loop");
        assertEquals("gateway", u.one("Service", "StateDirectory"));
        assertEquals("multi-user.target", u.one("Install", "WantedBy"));
    }

    @Test
    void sandboxLeavesSerialPortsReachable() {
        UnitFile u = UnitFile.read(SERVICE);
        assertEquals("yes", u.one("Service", "NoNewPrivileges"));
        assertEquals("strict", u.one("Service", "ProtectSystem"));
        assertEquals("yes", u.one("Service", "ProtectHome"));
        assertEquals("yes", u.one("Service", "PrivateTmp"));
        assertNull(u.one("Service", "PrivateDevices"), "PrivateDevices hides /dev/ttyUSB*");
        assertNull(u.one("Service", "MemoryDenyWriteExecute"), "the JIT needs writable+executable memory");
        assertNull(u.one("Service", "PrivateUsers"), "dialout would not map into a user namespace");
        assertEquals("closed", u.one("Service", "DevicePolicy"));
        List<String> allowed = u.all("Service", "DeviceAllow");
        for (String tty : List.of("char-ttyUSB rw", "char-ttyAMA rw", "char-ttyS rw", "char-ttyACM rw")) {
            assertTrue(allowed.contains(tty), "DeviceAllow=" + tty + " missing: " + allowed);
        }
        String families = u.one("Service", "RestrictAddressFamilies");
        for (String f : List.of("AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK")) {
            assertTrue(families.contains(f), "RestrictAddressFamilies lacks " + f);
        }
    }

    /**
     * Heap, metaspace and code cache caps must leave room for threads and native memory under MemoryMax. The unit
     * runs bin/gateway, so its flags are the appliance's one set, which it must not replace.
     */
    @Test
    void jvmLimitsFitTheMemoryLimit() throws IOException {
        UnitFile u = UnitFile.read(SERVICE);
        assertTrue(u.all("Service", "Environment").stream().noneMatch(e -> e.contains("GATEWAY_JAVA_OPTS=")),
                "the unit runs with bin/lib/jvm.options as they are");
        String opts = Files.readAllLines(JVM_OPTIONS).stream().filter(l -> !l.startsWith("#"))
                .collect(java.util.stream.Collectors.joining(" "));
        long heap = mebibytes(opts, "-Xmx(\\d+[mMgG])");
        long metaspace = mebibytes(opts, "-XX:MaxMetaspaceSize=(\\d+[mMgG])");
        long codeCache = mebibytes(opts, "-XX:ReservedCodeCacheSize=(\\d+[mMgG])");
        assertTrue(opts.contains("-XX:+ExitOnOutOfMemoryError"), "an OOM JVM should exit and be restarted");
        long memoryMax = mebibytes("MemoryMax=" + u.one("Service", "MemoryMax"), "MemoryMax=(\\d+[MG])");
        long headroom = 48;
        assertTrue(heap + metaspace + codeCache + headroom <= memoryMax,
                "heap " + heap + " + metaspace " + metaspace + " + code cache " + codeCache + " + " + headroom
                        + " MiB headroom exceeds MemoryMax " + memoryMax + " MiB");
    }

    private static long mebibytes(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex + " in " + text);
        String v = m.group(1);
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return Character.toLowerCase(v.charAt(v.length() - 1)) == 'g' ? n * 1024 : n;
    }

    private Path copyWithExecStart(Path unit, String name, String installed, Path existing) throws IOException {
        String text = Files.readString(unit);
        assertTrue(text.contains("ExecStart=" + installed + " "), name + " should run " + installed);
        Path copy = dir.resolve(name);
        Files.writeString(copy, text.replace("ExecStart=" + installed + " ", "ExecStart=" + existing + " "));
        return copy;
    }
}
