package io.edgegateway.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/lib/launch.sh's JVM flags: those only some JDKs take are given only to them, and the whole set starts the JDK
 * that runs this test. A flag a JDK does not know stops it before the gateway starts, so this is checked with the
 * real script against JDKs of either side.
 */
class LauncherFlagsTest {

    private static final Path LAUNCH = SourceTree.ROOT.resolve("bin/lib/launch.sh");
    private static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";

    @TempDir
    Path dir;

    @Test
    void compactObjectHeadersOnlyFromJdk25() throws IOException {
        assertFalse(flagsFor(fakeJdk("21.0.5")).contains(COMPACT_HEADERS), "JDK 21 does not know the flag");
        assertFalse(flagsFor(fakeJdk("24.0.2")).contains(COMPACT_HEADERS), "JDK 24 has it experimental only");
        assertTrue(flagsFor(fakeJdk("25.0.1")).contains(COMPACT_HEADERS));
        assertTrue(flagsFor(fakeJdk("26")).contains(COMPACT_HEADERS));
    }

    @Test
    void theWholeSetStartsThisJdk() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExternalCommand.Result r = ExternalCommand.run(List.of("bash", "-c",
                        "source \"$1\" && JAVA=\"$2\" && exec \"$JAVA\" $(jvm_flags) -XX:+PrintFlagsFinal -version",
                        "bash", LAUNCH.toString(), java),
                Map.of(), Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.output());
        Matcher m = Pattern.compile("bool UseCompactObjectHeaders\\s+= (true|false)").matcher(r.output());
        boolean on = m.find() && m.group(1).equals("true");
        assertEquals(Runtime.version().feature() >= 25, on, "compact object headers on this JDK:\n" + r.output());
    }

    /** What jvm_flags gives for the java binary {@code java}, without GATEWAY_JAVA_OPTS. */
    private String flagsFor(Path java) {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_JAVA_OPTS", null);
        ExternalCommand.Result r = ExternalCommand.run(List.of("bash", "-c",
                "source \"$1\" && JAVA=\"$2\" && jvm_flags", "bash", LAUNCH.toString(), java.toString()),
                env, Duration.ofSeconds(30));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("jvm.options"), r.output());
        return r.output();
    }

    /** A JDK home with a release file, as jlink and the JDK packages write it, and a java that must not be run. */
    private Path fakeJdk(String version) throws IOException {
        Path home = dir.resolve("jdk-" + version);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'launch.sh ran java to learn its version' >&2\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }
}
