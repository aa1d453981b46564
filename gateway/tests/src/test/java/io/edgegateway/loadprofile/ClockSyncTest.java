package io.edgegateway.loadprofile;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.poll.TaskStats;
import io.edgegateway.sim.dlms.DlmsSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A meter whose clock is 90 s fast, watched over an HLS-GMAC association with sync-when-drift-exceeds: 10s. The
 * gateway sets it to its own time (SET of the clock), reads it back, and shows the drift before and after.
 */
@Timeout(60)
class ClockSyncTest {

    @TempDir
    Path dir;

    @Test
    void aDriftBeyondTheThresholdIsCorrectedOverHls() throws Exception {
        try (DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0).serialNumber("CLK1")
                .clockOffset(Duration.ofSeconds(90)).build().start();
             Gateway gateway = Gateway.start(ConfigLoader.loadYaml("""
                     server: {port: 0}
                     state-dir: "%s"
                     storage: {enabled: false}
                     buses: [{name: lan, type: dlms-tcp, host: 127.0.0.1, port: %d, timeout: 5s}]
                     devices:
                       - meter-no: "CLK1"
                         bus: lan
                         profile: dlms-standard
                         interval: 10s
                         dlms: {client: 48, authentication: hls-gmac,
                                block-cipher-key: "000102030405060708090A0B0C0D0E0F",
                                authentication-key: "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF",
                                system-title: "4D4D4D0000BC614E"}
                         clock: {check: 1h, sync-when-drift-exceeds: 10s}
                     """.formatted(dir, sim.port()), "clock.yaml", dir), new ProtocolConnector(), Clock.systemUTC())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Map<String, Object> d = Map.of();
            while (System.nanoTime() < deadline) {
                TaskStats clock = gateway.stats().getFirst().devices().getFirst().tasks().getFirst();
                d = clock.details();
                if (clock.lastRun() != null) {
                    break;
                }
                Thread.sleep(100);
            }
            if (!d.containsKey("lastSync")) {
                fail("the clock was not set: " + d);
            }
            assertEquals(1L, d.get("syncs"), d.toString());
            assertTrue(((Double) d.get("driftBeforeSyncSeconds")) > 85, d.toString());
            assertTrue(Math.abs((Double) d.get("driftSeconds")) < 2, "read back after the set: " + d);
            assertTrue(Math.abs(sim.clockOffset().toMillis()) < 2000, "the meter keeps the gateway's time now: "
                    + sim.clockOffset());
        }
    }
}
