package io.edgegateway.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The .deb that jdeb built in the package phase: control fields, conffiles, maintainer scripts, file modes,
 * and a real install, upgrade and purge with dpkg into a throwaway root (maintainer scripts run chrootless with
 * DPKG_ROOT, so they must never reach outside it).
 */
class DebPackageIT {

    private static Path deb;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findDeb() throws IOException {
        ExternalCommand.require("dpkg-deb", "dpkg-deb is not installed (apt-get install dpkg): the .deb cannot be inspected");
        Path dir = Path.of(System.getProperty("deb.dir", "target"));
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("edge-gateway_.*_all\\.deb")).toList();
            assertEquals(1, debs.size(), "one edge-gateway_*_all.deb in " + dir + ": " + debs);
            deb = debs.get(0);
        }
    }

    private static String dpkgDeb(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("dpkg-deb"));
        cmd.addAll(Arrays.asList(args));
        ExternalCommand.Result r = ExternalCommand.run(cmd);
        assertEquals(0, r.exit(), () -> cmd + "\n" + r);
        return r.output();
    }

    @Test
    void controlFields() {
        Map<String, String> f = new HashMap<>();
        for (String field : List.of("Package", "Version", "Architecture", "Depends", "Maintainer", "Section")) {
            f.put(field, dpkgDeb("--field", deb.toString(), field).strip());
        }
        assertEquals("edge-gateway", f.get("Package"));
        assertEquals("all", f.get("Architecture"), "one package for arm64, armhf and amd64");
        assertTrue(f.get("Version").matches("\\d+\\.\\d+\\.\\d+.*"), f.get("Version"));
        // Debian 13 and Raspberry Pi OS: openjdk-21; Temurin and others: java21-runtime-headless;
        // Debian's openjdk-25 only provides java-runtime-headless (= 25).
        assertEquals("openjdk-21-jre-headless | java21-runtime-headless | java-runtime-headless (>= 21)",
                f.get("Depends").split(",")[0].strip());
        assertFalse(f.get("Maintainer").isEmpty());
    }

    @Test
    void configIsAConffileAndScriptsAreExecutable() {
        assertEquals("/etc/gateway/gateway.yaml", dpkgDeb("--info", deb.toString(), "conffiles").strip());
        String info = dpkgDeb("--info", deb.toString());
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(info.lines().anyMatch(l -> l.matches(".*\\*\\s+" + script + "\\s.*")), script + " executable:\n" + info);
            String text = dpkgDeb("--info", deb.toString(), script);
            // jdeb filters control files: the shell's ${DPKG_ROOT...} must come through untouched.
            assertTrue(text.contains("${DPKG_ROOT:+"), script + " lost its DPKG_ROOT expansions:\n" + text);
        }
    }

    @Test
    void contentsWithModes() {
        Map<String, String> modes = new HashMap<>();
        for (String line : dpkgDeb("--contents", deb.toString()).lines().toList()) {
            String[] w = line.trim().split("\\s+");
            modes.put(w[w.length - 1].replaceFirst("^\\./", "/"), w[0] + " " + w[1]);
        }
        Map<String, String> expected = Map.of(
                "/opt/gateway/gateway.jar", "-rw-r--r-- root/root",
                "/opt/gateway/simulator.jar", "-rw-r--r-- root/root",
                "/opt/gateway/bin/gateway", "-rwxr-xr-x root/root",
                "/opt/gateway/bin/simulator", "-rwxr-xr-x root/root",
                "/opt/gateway/bin/lib/launch.sh", "-rw-r--r-- root/root",
                "/opt/gateway/bin/lib/jvm.options", "-rw-r--r-- root/root",
                "/lib/systemd/system/gateway.service", "-rw-r--r-- root/root",
                "/lib/systemd/system/gateway-simulator@.service", "-rw-r--r-- root/root",
                "/usr/lib/sysusers.d/gateway.conf", "-rw-r--r-- root/root",
                "/etc/gateway/gateway.yaml", "-rw-r----- root/root");
        expected.forEach((path, mode) -> assertEquals(mode, modes.get(path), path));
        assertTrue(modes.keySet().stream().anyMatch(p -> p.matches("/opt/gateway/lib/helidon-webserver-.*\\.jar")));
        assertTrue(modes.keySet().stream().noneMatch(p -> p.contains("junit")), "no test jars");
    }

    /** Every Class-Path entry of both main jars is in the package, so the launchers find all classes. */
    @Test
    void mainJarsFindTheirLibraries() throws IOException {
        Path x = tmp.resolve("x");
        dpkgDeb("-x", deb.toString(), x.toString());
        Path opt = x.resolve("opt/gateway");
        for (String jar : List.of("gateway.jar", "simulator.jar")) {
            try (JarFile j = new JarFile(opt.resolve(jar).toFile())) {
                String cp = j.getManifest().getMainAttributes().getValue("Class-Path");
                assertTrue(cp != null && !cp.isBlank(), jar + " has a Class-Path");
                for (String entry : cp.trim().split("\\s+")) {
                    assertTrue(Files.isRegularFile(opt.resolve(entry)), jar + " needs " + entry);
                }
            }
        }
    }

    @Test
    void installsUpgradesAndPurgesInAThrowawayRoot() throws IOException {
        ExternalCommand.require("dpkg", "dpkg is not installed (apt-get install dpkg)");
        ExternalCommand.require("systemd-sysusers", "systemd-sysusers is not installed (apt-get install systemd)");
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("var/lib/dpkg/available"), "");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ndialout:x:20:\n");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");

        dpkg(root, "--install", deb.toString());
        for (String f : List.of("opt/gateway/gateway.jar", "opt/gateway/bin/gateway", "lib/systemd/system/gateway.service",
                "etc/gateway/gateway.yaml", "etc/gateway/hes.token")) {
            assertTrue(Files.exists(root.resolve(f)), f);
        }
        assertTrue(Files.readString(root.resolve("etc/passwd")).contains("\ngateway:x:"), "user created");
        assertTrue(Files.readString(root.resolve("etc/group")).contains("dialout:x:20:gateway"), "in dialout");
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/gateway"))));
        assertTrue(Files.isSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/gateway.service")), "enabled");
        Path config = root.resolve("etc/gateway/gateway.yaml");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertFalse(Files.getAttribute(config, "unix:gid").equals(0), "group gateway, so the service can read it");

        ExternalCommand.Result check = ExternalCommand.run(List.of(root.resolve("opt/gateway/bin/gateway").toString(),
                "check-config", config.toString()), Map.of(), Duration.ofSeconds(60));
        assertEquals(0, check.exit(), check::toString);

        // Reinstalling (the upgrade path) keeps the edited config and the token.
        Files.writeString(config, Files.readString(config) + "# edited on site\n");
        String token = Files.readString(root.resolve("etc/gateway/hes.token"));
        dpkg(root, "--install", deb.toString());
        assertTrue(Files.readString(config).endsWith("# edited on site\n"));
        assertEquals(token, Files.readString(root.resolve("etc/gateway/hes.token")));

        // Removed then installed again: enabled again, or it would not come back after the next reboot.
        Path wants = root.resolve("etc/systemd/system/multi-user.target.wants/gateway.service");
        dpkg(root, "--remove", "edge-gateway");
        assertFalse(Files.exists(wants, java.nio.file.LinkOption.NOFOLLOW_LINKS), "disabled on remove");
        dpkg(root, "--install", deb.toString());
        assertTrue(Files.isSymbolicLink(wants), "enabled again on reinstall");

        dpkg(root, "--purge", "edge-gateway");
        for (String f : List.of("opt/gateway", "etc/gateway", "var/lib/gateway", "lib/systemd/system/gateway.service",
                "etc/systemd/system/multi-user.target.wants/gateway.service")) {
            assertFalse(Files.exists(root.resolve(f), java.nio.file.LinkOption.NOFOLLOW_LINKS), f + " left after purge");
        }
        assertFalse(Files.readString(root.resolve("etc/passwd")).contains("gateway:"), "user removed");
        assertTrue(Files.readString(root.resolve("etc/group")).contains("dialout:x:20:\n"), "dialout stays, without gateway");
    }

    private static void dpkg(Path root, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless",
                "--force-depends", "--log=/dev/null"));
        cmd.addAll(Arrays.asList(args));
        ExternalCommand.Result r = ExternalCommand.run(cmd, Map.of(), Duration.ofSeconds(120));
        assertEquals(0, r.exit(), () -> cmd + "\n" + r);
    }
}
