package io.edgegateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine running the tests has: programs on the PATH, root. */
public final class ExternalTools {

    private ExternalTools() {
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
