package io.edgegateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;


/**
 * A virtual null-modem cable for serial tests: two pseudo-terminals joined by socat (Debian package socat),
 * reachable by name as {@link #a()} and {@link #b()}. Ptys test framing, not timing (no baud rate or parity).
 * Without socat the calling test is skipped with a message, not failed. Shared with the gateway's tests through
 * this module's test jar.
 */
public final class VirtualSerialCable implements AutoCloseable {

    private final Process socat;
    private final Path a;
    private final Path b;

    public VirtualSerialCable(Path dir) throws IOException, InterruptedException {
        ExternalTools.require(onPath("socat"), "socat is not installed (apt-get install socat): the serial tests "
                + "need its virtual serial lines");
        a = dir.resolve("ttyA");
        b = dir.resolve("ttyB");
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

    /** Whether {@code program} is an executable on PATH (socat, mbpoll...). */
    public static boolean onPath(String program) {
        return ExternalTools.onPath(program);
    }

    /** One end, for the device (simulator) side. */
    public String a() {
        return a.toString();
    }

    /** The other end, for the master (driver, tool) side. */
    public String b() {
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
