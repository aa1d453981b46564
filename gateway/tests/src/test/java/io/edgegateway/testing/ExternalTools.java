package io.edgegateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the machine running the tests has: programs on the PATH, root. A test that needs what is missing fails,
 * saying what to install: {@code mvn verify} must not pass by skipping what it could not run. Only with
 * {@code -Dskip.external=true} are such tests skipped instead (and reported as skipped).
 */
public final class ExternalTools {

    /** The system property that turns a missing tool from a failure into a skip. */
    public static final String SKIP = "skip.external";

    private ExternalTools() {
    }

    /**
     * Fails the test (or skips it under {@code -Dskip.external=true}) unless {@code present}.
     *
     * @param missing what is missing and how to get it, e.g. "socat is not installed (apt-get install socat)"
     */
    public static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        if (Boolean.getBoolean(SKIP)) {
            org.junit.jupiter.api.Assumptions.abort(missing + "; skipped (-D" + SKIP + "=true)");
        }
        org.junit.jupiter.api.Assertions.fail(missing + "; .ci/run installs every tool the tests use, or run with -D"
                + SKIP + "=true to skip the tests that need it");
    }

    /** Whether {@code program} is an executable on PATH (socat, mbpoll...). */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the tests run as root (mounting file systems needs it). */
    public static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
