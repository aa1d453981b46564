package io.edgegateway.packaging;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * systemd/install.sh into a temporary root (--root: never the real system): the layout, the config kept on a
 * second run, nothing changed by a second run, the installed launcher working, and the refusal without Java 21.
 */
class InstallScriptTest {

    private static final Path INSTALL = SourceTree.MODULE.resolve("install.sh");

    @TempDir
    Path root;

    @BeforeEach
    void machine() throws IOException {
        ExternalCommand.require("systemd-sysusers",
                "systemd-sysusers is not installed (apt-get install systemd): install.sh cannot be tested");
        assumeTrue(SourceTree.jarsBuilt(), "the jars are not built (run mvn package or verify): install.sh not tested");
        // As on Debian: dialout exists before the package does.
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ndialout:x:20:\n");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    }

    private ExternalCommand.Result install(Map<String, String> env, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", INSTALL.toString(), "--root", root.toString(),
                "--no-build"));
        cmd.addAll(List.of(extra));
        return ExternalCommand.run(cmd, env, Duration.ofSeconds(60));
    }

    @Test
    void installsTheLayoutAndASecondRunChangesNothing() throws IOException {
        ExternalCommand.Result first = install(Map.of());
        assertEquals(0, first.exit(), first::toString);

        Path opt = root.resolve("opt/gateway");
        for (String f : List.of("gateway.jar", "simulator.jar", "bin/lib/launch.sh", "bin/lib/jvm.options", "gateway.example.yaml")) {
            assertTrue(Files.isRegularFile(opt.resolve(f)), f);
        }
        assertTrue(Files.isExecutable(opt.resolve("bin/gateway")));
        assertTrue(Files.isExecutable(opt.resolve("bin/simulator")));
        try (var libs = Files.list(SourceTree.GATEWAY_LIB); var installed = Files.list(opt.resolve("lib"))) {
            assertEquals(libs.map(p -> p.getFileName().toString()).sorted().toList(),
                    installed.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(Files.readString(SourceTree.MODULE.resolve("gateway.service")),
                Files.readString(root.resolve("etc/systemd/system/gateway.service")));
        assertEquals(Path.of("/etc/systemd/system/gateway.service"),
                Files.readSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/gateway.service")),
                "enabled");

        String passwd = Files.readString(root.resolve("etc/passwd"));
        assertTrue(passwd.contains("\ngateway:x:"), passwd);
        assertTrue(passwd.contains(":/var/lib/gateway:/usr/sbin/nologin"), passwd);
        assertTrue(Files.readString(root.resolve("etc/group")).contains("dialout:x:20:gateway"), "in dialout");
        int uid = id(root.resolve("etc/passwd"));
        int gid = id(root.resolve("etc/group"));
        Path state = root.resolve("var/lib/gateway");
        assertEquals(uid, Files.getAttribute(state, "unix:uid"));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));

        Path config = root.resolve("etc/gateway/gateway.yaml");
        assertEquals(Files.readString(SourceTree.MODULE.resolve("gateway.example.yaml")), Files.readString(config));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals(gid, Files.getAttribute(config, "unix:gid"), "readable by the service's group");
        String token = Files.readString(root.resolve("etc/gateway/hes.token")).strip();
        assertTrue(token.matches("[0-9a-f]{32}"), "a random token: " + token);

        // The installer's own edits aside, a second run must leave everything as it was, the edited config too.
        Files.writeString(config, Files.readString(config) + "# edited on site\n");
        TreeSnapshot before = TreeSnapshot.of(root);
        ExternalCommand.Result second = install(Map.of());
        assertEquals(0, second.exit(), second::toString);
        assertTrue(second.output().contains("kept " + config), second.output());
        TreeSnapshot after = TreeSnapshot.of(root);
        assertEquals("", before.diff(after), "the second run changed the tree");
    }

    /** The launchers installed under /opt/gateway run the jars beside them (no source tree, no build). */
    @Test
    void installedLauncherChecksTheInstalledConfig() {
        assertEquals(0, install(Map.of()).exit());
        ExternalCommand.Result r = ExternalCommand.run(List.of(root.resolve("opt/gateway/bin/gateway").toString(),
                "check-config", root.resolve("etc/gateway/gateway.yaml").toString()), Map.of(), Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.output().contains("gateway.yaml: OK"), r.output());
    }

    /**
     * A machine with only Java 17 (as Debian 12 has): PATH holds a java that says it is 17 and the tools the
     * script needs before its check, JAVA_HOME and the JVM directories point nowhere. Refused, nothing written.
     */
    @Test
    void refusesWithoutJava21() throws IOException {
        Path bin = Files.createDirectory(root.resolve("bin17"));
        for (String tool : List.of("dirname", "awk")) {
            Path real = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream().filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new AssertionError("no " + tool));
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 17' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path noJdks = Files.createDirectory(root.resolve("no-jdks"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin.toString());
        env.put("JAVA_HOME", root.resolve("nowhere").toString());
        env.put("GATEWAY_JVM_DIRS", noJdks.toString());

        TreeSnapshot before = TreeSnapshot.of(root);
        ExternalCommand.Result r = install(env);
        assertEquals(3, r.exit(), r::toString);
        assertTrue(r.output().contains("refusing to install"), r.output());
        assertTrue(r.output().contains(">= 21"), r.output());
        assertEquals("", before.diff(TreeSnapshot.of(root)), "nothing written");
        assertFalse(Files.exists(root.resolve("opt")));
    }

    private static int id(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("gateway:"))
                .map(l -> Integer.parseInt(l.split(":")[2])).findFirst()
                .orElseThrow(() -> new AssertionError("no gateway entry in " + file));
    }
}
