package io.edgegateway.sse;

import io.edgegateway.app.ApiHarness;
import io.edgegateway.sim.swarm.DashboardSwarm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator itself works against the real server: every stream connects and gets every reading. */
class DashboardSwarmTest {

    @Test
    void everySimulatedDashboardConnectsAndReceivesTheReadings() throws Exception {
        try (ApiHarness gw = new ApiHarness(ApiHarness.twoMeters("sse: {max-clients: 60}\n"))) {
            Thread publisher = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        Thread.sleep(100);
                        gw.reading("m1", Instant.now(), Map.of("L1 Voltage", String.valueOf(220 + i)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            DashboardSwarm.Report r = new DashboardSwarm(new DashboardSwarm.Settings(gw.uri("/api/sse/meters"), 70,
                    Duration.ofMillis(200), Duration.ofSeconds(3), null)).run();
            publisher.join();
            assertEquals(60, r.connected(), r.describe());
            assertEquals(10, r.refused(), "beyond max-clients: 503");
            assertEquals(0, r.failed(), r.describe());
            assertTrue(r.readings() >= 60L * 20, "each stream got the readings published while measuring: " + r.describe());
            assertTrue(r.p50() >= 0, r.describe());
        }
    }
}
