package io.edgegateway.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program of this machine (bash, systemd-analyze, dpkg-deb) and collects its exit code and output. */
final class ExternalCommand {

    record Result(int exit, String output) {
        @Override
        public String toString() {
            return "exit " + exit + ":\n" + output;
        }
    }

    private ExternalCommand() {
    }

    /**
     * Fails the test unless {@code program} is on PATH, saying what to install; under {@code -Dskip.external=true}
     * it skips the test instead. {@code mvn verify} must not pass by skipping what it could not run.
     */
    static void require(String program, String missing) {
        if (available(program)) {
            return;
        }
        if (Boolean.getBoolean("skip.external")) {
            org.junit.jupiter.api.Assumptions.abort(missing + "; skipped (-Dskip.external=true)");
        }
        org.junit.jupiter.api.Assertions.fail(missing + "; .ci/run installs every tool the tests use, or run with "
                + "-Dskip.external=true to skip the tests that need it");
    }

    /** True when {@code program} is an executable somewhere on PATH. */
    static boolean available(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static Result run(List<String> command) {
        return run(command, Map.of(), Duration.ofSeconds(60));
    }

    /**
     * @param env variables added to (or, with a null value, removed from) this JVM's environment
     */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // Output is small (kilobytes); reading it all before waiting cannot dead-lock on a full pipe.
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }
}
