package io.edgegateway.store;

import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.sse.SseTestClient;
import io.edgegateway.testing.GatewayProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume across a restart of a real gateway process, after SIGTERM and after SIGKILL: a client that resumes with
 * a Last-Event-ID from before the restart gets every event after it, in order, none twice, exactly as it was sent,
 * then live events; what a kill lost between two commits is named in a replay-gap notice, never skipped silently.
 */
@Timeout(180)
class ResumeAcrossRestartTest {

    private static final Pattern LOST = Pattern.compile("\"lostFrom\":(\\d+),\"lostTo\":(\\d+)");

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private record Run(GatewayProcess gateway, int port) {
    }

    private Run gateway(String commitInterval) throws Exception {
        SimulatedDevice meter = SimulatedDevice.of(ProfileCatalog.shipped().find("sdm120").orElseThrow(), 3,
                Clock.systemUTC());
        ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(1, meter).build().start();
        closing.add(sim);
        int port = GatewayProcess.freePort();
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                server: {port: %d}
                state-dir: "%s"
                storage: {commit-interval: %s}
                sse: {replay-size: 5}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: "m1", bus: b, unit-id: 1, profile: sdm120, interval: 100ms}]
                """.formatted(port, dir.resolve("state"), commitInterval, sim.port()));
        GatewayProcess g = new GatewayProcess(config, dir.resolve("gateway.log"), Map.of());
        closing.add(g);
        return new Run(g.start(port), port);
    }

    /**
     * Client A watches for a few seconds and is still connected when the gateway stops: it has seen every event
     * the gateway sent (id to data of its data events, in order).
     */
    private Map<Long, String> watchUntilStopped(Run run, boolean kill) throws Exception {
        Map<Long, String> seen = new LinkedHashMap<>();
        try (SseTestClient a = SseTestClient.open(http, URI.create("http://127.0.0.1:" + run.port() + "/api/sse/meters"),
                Map.of())) {
            Thread.sleep(3000);
            if (kill) {
                run.gateway().kill();
            } else {
                assertEquals(143, run.gateway().stop(), "SIGTERM ends the JVM with 128+15");
            }
            for (SseTestClient.Event e : a.drain(Duration.ofMillis(500))) {
                if (e.event().equals("data")) {
                    seen.put(Long.parseLong(e.id()), e.data());
                }
            }
        }
        return seen;
    }

    private void restartAndCheck(Run run, boolean kill, boolean mayLose) throws Exception {
        Map<Long, String> before = watchUntilStopped(run, kill);
        assertTrue(before.size() > 20, "the meter changes every poll: " + before.size() + " events in 3 s");
        List<Long> ids = new ArrayList<>(before.keySet());
        long from = ids.get(5); // far beyond the replay buffer of 5
        long last = ids.getLast();
        run.gateway().start(run.port());
        List<Long> got = new ArrayList<>();
        List<long[]> lost = new ArrayList<>();
        long live = -1;
        try (SseTestClient b = SseTestClient.open(http, URI.create("http://127.0.0.1:" + run.port() + "/api/sse/meters"),
                Map.of("Last-Event-ID", String.valueOf(from)))) {
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (live < 0 && System.nanoTime() < until) {
                SseTestClient.Event e = b.next(Duration.ofSeconds(5));
                if (e == null) {
                    continue;
                }
                if (e.event().equals("connected")) {
                    assertTrue(e.data().contains("\"resume\":\"resumed\""), e.data());
                } else if (e.event().equals("error")) {
                    Matcher m = LOST.matcher(e.data());
                    assertTrue(m.find(), "a gap notice states the lost ids: " + e.data());
                    lost.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                } else if (e.event().equals("data")) {
                    long id = Long.parseLong(e.id());
                    assertTrue(got.isEmpty() || id > got.getLast(), "in order, none twice: " + id + " after " + got);
                    got.add(id);
                    if (before.containsKey(id)) {
                        assertEquals(before.get(id), e.data(), "event " + id + " exactly as it was sent");
                    } else if (id > last) {
                        live = id;
                    }
                }
            }
        }
        assertTrue(live > last, "live events follow the replay");
        for (long id : ids) {
            if (id <= from) {
                continue;
            }
            boolean inGap = lost.stream().anyMatch(g -> id >= g[0] && id <= g[1]);
            assertTrue(got.contains(id) || inGap, "event " + id + " was sent before the restart: it is replayed or "
                    + "named in a gap; replayed " + got.size() + ", gaps " + lost.stream().map(g -> g[0] + ".." + g[1])
                    .toList());
            assertFalse(got.contains(id) && inGap, "a replayed event is not also called lost");
        }
        if (!mayLose) {
            assertTrue(lost.isEmpty(), "nothing lost: " + lost.stream().map(g -> g[0] + ".." + g[1]).toList());
        }
    }

    @Test
    void afterACleanStopEveryEventIsReplayedAndNoneIsLost() throws Exception {
        restartAndCheck(gateway("1s"), false, false);
    }

    @Test
    void afterSigkillWhatWasCommittedIsReplayedAndTheRestIsNamedAsLost() throws Exception {
        restartAndCheck(gateway("1s"), true, true);
    }

    @Test
    void withACommitPerEventNothingIsLostEvenToSigkill() throws Exception {
        restartAndCheck(gateway("0s"), true, false);
    }
}
