package io.edgegateway.store;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.sse.SseTestClient;
import io.edgegateway.testing.Tmpfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The disk under the store fails: it fills up, or is read-only. Polling and streaming go on, {@code /health} and
 * {@code /metrics} show the store in ERROR with the reason, the log names the file, nothing crashes, and a disk
 * that recovers is written again. The disks are real (a size-limited tmpfs, remounted read-only).
 */
@Timeout(120)
class DiskFaultTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            log.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void tearDown() throws Exception {
        Logger.getLogger(EventStore.class.getName()).removeHandler(capture);
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private Gateway gateway(Path stateDir) throws Exception {
        Logger.getLogger(EventStore.class.getName()).addHandler(capture);
        SimulatedDevice meter = SimulatedDevice.of(ProfileCatalog.shipped().find("sdm630").orElseThrow(), 5,
                Clock.systemUTC());
        ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(1, meter).build().start();
        closing.add(sim);
        Gateway g = Gateway.start(ConfigLoader.loadYaml("""
                server: {port: 0}
                state-dir: "%s"
                storage: {commit-interval: 200ms}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: "m1", bus: b, unit-id: 1, profile: sdm630, interval: 100ms}]
                alerts: [{id: live, meters: [m1], point: L1 Voltage, condition: gt, value: 0}]
                """.formatted(stateDir, sim.port()), "disk-fault-test.yaml", dir), new ProtocolConnector(),
                Clock.systemUTC());
        closing.add(g);
        return g;
    }

    private String get(Gateway g, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void await(String what, Gateway g, String path, Predicate<String> ok) throws Exception {
        String last = null;
        long until = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < until) {
            last = get(g, path);
            if (ok.test(last)) {
                return;
            }
            Thread.sleep(200);
        }
        fail(what + " did not show within 45 s; " + path + " said: " + last);
    }

    /** Live data flows: a client gets readings now, whatever the store does. */
    private void assertStreaming(Gateway g) throws Exception {
        try (SseTestClient c = SseTestClient.open(http, URI.create("http://127.0.0.1:" + g.port() + "/api/sse/meters"),
                Map.of())) {
            long readings = c.drain(Duration.ofSeconds(2)).stream().filter(e -> e.event().equals("data")).count();
            assertTrue(readings >= 3, "readings keep streaming: " + readings + " in 2 s");
        }
    }

    @Test
    void aFullDiskIsShownAsAStoreErrorWhileStreamingGoesOnAndWritingResumesWhenThereIsRoom() throws Exception {
        Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "2m");
        closing.add(disk);
        Path filler = disk.path().resolve("filler");
        Gateway g = gateway(disk.path().resolve("state"));
        await("the store writing", g, "/health", h -> h.contains("\"committedId\":") && !h.contains("\"committedId\":0"));
        disk.fill(filler, 16 * 1024);
        await("the store error", g, "/health", h -> h.contains("\"status\":\"ERROR\"") && h.contains("disk is full")
                && h.contains(disk.path().toString()));
        assertTrue(get(g, "/health").startsWith("{\"status\":\"DEGRADED\""), get(g, "/health"));
        assertTrue(get(g, "/metrics").contains("gateway_store_state{state=\"ERROR\"} 1"));
        assertStreaming(g);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("WARNING") && l.contains(disk.path().toString())
                && l.contains("disk is full")), "the log names the file and the reason: " + log);
        Files.delete(filler);
        await("the store writing again", g, "/health", h -> h.contains("\"storage\":{\"status\":\"OK\"")
                || h.contains("\"storage\":{\"status\":\"DEGRADED\""));
        assertStreaming(g);
    }

    @Test
    void aReadOnlyStateDirectoryIsShownAsAStoreErrorWhileStreamingGoesOn() throws Exception {
        Tmpfs disk = Tmpfs.mount(dir.resolve("ro"), "1m");
        closing.add(disk);
        Files.createDirectories(disk.path().resolve("state"));
        disk.readOnly();
        Gateway g = gateway(disk.path().resolve("state"));
        await("the store error", g, "/health", h -> h.contains("\"status\":\"ERROR\"")
                && h.contains(disk.path().resolve("state").toString()));
        assertTrue(get(g, "/health").contains("cannot open"), get(g, "/health"));
        assertStreaming(g);
        assertTrue(get(g, "/metrics").contains("gateway_store_state{state=\"ERROR\"} 1"));
        assertTrue(get(g, "/health").contains("\"connected\":1"), "polling goes on: " + get(g, "/health"));
        // The config's alert rules still watch the meters; the stored ones cannot be read, and are said to be.
        try (SseTestClient c = SseTestClient.open(http, URI.create("http://127.0.0.1:" + g.port()
                + "/api/sse?lastEventId=" + (g.hub().firstId() - 1)), Map.of())) {
            SseTestClient.Event alert = c.next("alert", Duration.ofSeconds(10));
            assertTrue(alert != null && alert.data().contains("\"ruleId\":\"live\""), "an alert while the store is"
                    + " read-only: " + alert);
        }
        assertTrue(get(g, "/api/alerts").contains("store-unavailable"), get(g, "/api/alerts"));
    }
}
