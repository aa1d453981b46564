package io.edgegateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A virtual null-modem cable: two pseudo-terminals joined by socat. Ptys test framing, not timing. */
final class SocatPty implements AutoCloseable {

    private final Process socat;
    final String a;
    final String b;

    SocatPty(Path dir) throws IOException, InterruptedException {
        assumeTrue(onPath("socat"), "socat is not installed (apt-get install socat); skipping serial tests");
        Path pa = dir.resolve("A");
        Path pb = dir.resolve("B");
        a = pa.toString();
        b = pb.toString();
        socat = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + pa, "pty,raw,echo=0,link=" + pb)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(pa) && Files.exists(pb))) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                close();
                throw new IOException("socat did not create " + pa + " and " + pb);
            }
            Thread.sleep(20);
        }
    }

    private static boolean onPath(String program) {
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
