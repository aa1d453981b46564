package io.edgegateway.sim.modbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A virtual null-modem cable: two pseudo-terminals joined by socat, reachable as {@code a()} and {@code b()}.
 * Ptys test framing, not timing.
 */
final class SocatPair implements AutoCloseable {

    private final Process socat;
    private final Path a;
    private final Path b;

    SocatPair(Path dir) throws IOException, InterruptedException {
        assumeTrue(onPath("socat"), "socat is not installed (apt-get install socat); skipping serial tests");
        a = dir.resolve("A");
        b = dir.resolve("B");
        socat = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                close();
                throw new IOException("socat did not create " + a + " and " + b);
            }
            Thread.sleep(20);
        }
    }

    static boolean onPath(String program) {
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

    String a() {
        return a.toString();
    }

    String b() {
        return b.toString();
    }

    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        } catch (InterruptedException e) {
            socat.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
