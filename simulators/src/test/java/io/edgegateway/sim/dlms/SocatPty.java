package io.edgegateway.sim.dlms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A virtual serial cable: two linked ptys from socat (Debian package socat), removed on close. */
final class SocatPty implements AutoCloseable {

    final Path a;
    final Path b;
    private final Process process;

    SocatPty(Path dir) throws IOException, InterruptedException {
        a = dir.resolve("ttyA");
        b = dir.resolve("ttyB");
        process = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly();
                throw new IOException("socat did not create the pty pair (is socat installed?)");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
