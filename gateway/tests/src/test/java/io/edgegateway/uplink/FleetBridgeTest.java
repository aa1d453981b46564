package io.edgegateway.uplink;

import io.edgegateway.testing.MosquittoBroker;
import io.edgegateway.testing.MosquittoSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet topology of docs/fleet.md: two gateways publish to their site's Mosquitto, which is bridged to a central
 * one with docs/examples/mosquitto-bridge.conf as shipped (only its address pointed at the test's central broker). A
 * head-end subscriber on the central broker sees both gateways' readings, statuses and online messages.
 */
@Timeout(120)
class FleetBridgeTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void aSubscriberOnTheCentralBrokerSeesBothGatewaysOfASite() throws Exception {
        UplinkRig.requireBroker(false);
        MosquittoBroker central = MosquittoBroker.builder(dir.resolve("central")).build().start();
        closing.add(central);
        MosquittoBroker.Builder site = MosquittoBroker.builder(dir.resolve("site"));
        for (String line : Files.readAllLines(exampleBridge())) {
            if (line.startsWith("address ")) {
                line = "address 127.0.0.1:" + central.port();
            }
            site.config(line);
        }
        MosquittoBroker local = site.build().start();
        closing.add(local);
        central.awaitLog("as bridge-site-0001 (", Duration.ofSeconds(15));
        MosquittoSubscriber hes = MosquittoSubscriber.builder(central.port(), "gateways/#").qos(1).mqtt5().build().start();
        closing.add(hes);

        UplinkRig rig = new UplinkRig(dir);
        closing.add(rig);
        String uplink = "{url: \"mqtt://127.0.0.1:" + local.port() + "\"}";
        rig.gateway("gw-a", uplink).start();
        rig.gateway("gw-b", uplink).start();

        hes.await(m -> List.of("gw-a", "gw-b").stream().allMatch(g ->
                m.stream().anyMatch(x -> x.topic().equals("gateways/" + g + "/meters/m1/reading"))
                        && m.stream().anyMatch(x -> x.topic().equals("gateways/" + g + "/meters/m2/reading"))
                        && m.stream().anyMatch(x -> x.topic().equals("gateways/" + g + "/meters/m2/status"))
                        && m.stream().anyMatch(x -> x.topic().equals("gateways/" + g + "/status")
                        && x.text().contains("\"online\""))), Duration.ofSeconds(40));
        assertTrue(hes.messages().stream().allMatch(x -> x.userProperties().containsKey("event-id")
                || x.topic().endsWith("/status")), "readings carry their event id through the bridge");
    }

    /** The example as shipped in docs/, found from the test module's directory. */
    private static Path exampleBridge() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("docs/examples/mosquitto-bridge.conf");
            if (Files.exists(f)) {
                return f;
            }
        }
        throw new AssertionError("docs/examples/mosquitto-bridge.conf not found above " + Path.of("").toAbsolutePath());
    }
}
