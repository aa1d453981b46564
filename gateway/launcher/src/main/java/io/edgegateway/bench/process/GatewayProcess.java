package io.edgegateway.bench.process;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/gateway run} as its own process, supervised the way systemd does: started, killed with SIGKILL (no
 * shutdown hook runs, nothing is flushed), started again. Reads its RSS and threads from /proc, its heap from
 * {@code /metrics} and {@code jcmd}, and its meters' poll counters from the API.
 */
public final class GatewayProcess implements AutoCloseable {

    /** What the process looks like at one moment. */
    public record Sample(long rssKb, int threads, long heapUsedBytes, int sseClients) {
    }

    private final Path root;
    private final Path config;
    private final Path log;
    private final int port;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Process process;

    public GatewayProcess(Path root, Path config, Path log, int port) {
        this(root, config, log, port, Map.of());
    }

    /** @param env added to the process's environment, e.g. GATEWAY_JAVA_OPTS for a flight recording */
    public GatewayProcess(Path root, Path config, Path log, int port, Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.root = root;
        this.config = config;
        this.log = log;
        this.port = port;
        // A benchmark stopped with Ctrl-C must not leave a gateway running behind it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }));
    }

    /** Starts it and waits until {@code /health} answers; returns how long that took. */
    public Duration start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        ProcessBuilder b = new ProcessBuilder(root.resolve("bin/gateway").toString(), "run", "--config",
                config.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The launcher's own JVM flags, not those of the benchmark's JVM.
        b.environment().remove("GATEWAY_JAVA_OPTS");
        b.environment().putAll(env);
        process = b.start();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(90)) {
            if (!process.isAlive()) {
                throw new IOException("the gateway exited with " + process.exitValue() + "; see " + log);
            }
            if (get("/health") != null) {
                return Duration.ofNanos(System.nanoTime() - t0);
            }
            Thread.sleep(100);
        }
        throw new IOException("the gateway did not answer /health within 90 s; see " + log);
    }

    /** SIGKILL, as a power cut or the OOM killer would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, as systemd stops it: shutdown hooks run (a flight recording is written), then it exits. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public Sample sample() throws IOException {
        ProcFs.Status status = ProcFs.status(pid());
        String metrics = get("/metrics");
        return new Sample(status.rssKb(), status.threads(), (long) metric(metrics, "gateway_jvm_heap_used_bytes"),
                (int) metric(metrics, "gateway_sse_clients"));
    }

    /** Heap in use after a full GC, in KB: what live objects hold. */
    public long liveHeapKb() throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        run(jcmd.toString(), String.valueOf(pid()), "GC.run");
        long used = 0;
        for (String line : run(jcmd.toString(), String.valueOf(pid()), "GC.heap_info").split("\n")) {
            String[] w = line.trim().split("[ ,]+");
            for (int i = 0; i + 1 < w.length; i++) {
                if (w[i].equals("used") && w[i + 1].endsWith("K")) {
                    used += Long.parseLong(w[i + 1].substring(0, w[i + 1].length() - 1));
                }
            }
        }
        return used;
    }

    /** Successful polls so far (polls minus failures) of each meter, from {@code GET /api/meters/{meterNo}}. */
    public Map<String, Long> goodPolls(List<String> meters) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String m : meters) {
            String body = get("/api/meters/" + m);
            if (body == null) {
                continue;
            }
            JsonObject polling = Json.createReader(new StringReader(body)).readObject().getJsonObject("polling");
            if (polling != null) {
                out.put(m, polling.getJsonNumber("polls").longValue() - polling.getJsonNumber("failures").longValue());
            }
        }
        return out;
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@code GET /metrics}, or null when it does not answer. */
    public String metrics() {
        return get("/metrics");
    }

    /** The sum of every sample of {@code name} in a {@code /metrics} text, whatever its labels. */
    public static double sum(String metrics, String name) {
        double total = 0;
        if (metrics != null) {
            for (String line : metrics.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                }
            }
        }
        return total;
    }

    private static double metric(String metrics, String name) {
        if (metrics == null) {
            return 0;
        }
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
