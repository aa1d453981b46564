package io.edgegateway.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;


/**
 * A real, small file system for disk-fault tests: a tmpfs of a given size mounted on a directory of the test, that
 * can be filled up or remounted read-only, and is unmounted at close. Mounting needs root (CI runs as root).
 */
public final class Tmpfs implements AutoCloseable {

    private final Path path;

    private Tmpfs(Path path) {
        this.path = path;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "2m") on {@code at}, creating the directory. */
    public static Tmpfs mount(Path at, String size) throws IOException, InterruptedException {
        ExternalTools.require(ExternalTools.isRoot(), "mounting a size-limited tmpfs (a disk that fills up) needs "
                + "root; CI runs as root");
        Files.createDirectories(at);
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", at.toString());
        return new Tmpfs(at);
    }

    public Path path() {
        return path;
    }

    /** Writes {@code file} until the file system is full, then frees {@code leaveBytes}. */
    public void fill(Path file, long leaveBytes) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // no space left: as intended
        }
        long size = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, size - leaveBytes));
        }
    }

    public void readOnly() throws IOException, InterruptedException {
        run("mount", "-o", "remount,ro", path.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", path.toString());
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
