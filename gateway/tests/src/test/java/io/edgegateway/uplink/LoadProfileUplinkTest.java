package io.edgegateway.uplink;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.testing.MosquittoBroker;
import io.edgegateway.testing.MosquittoSubscriber;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load profile rows go over the JSON uplink: each stored row once, on the meter's interval-data topic, with its
 * event id and the meter's capture time, as an independent MQTT client (mosquitto_sub) receives them.
 */
@Timeout(90)
class LoadProfileUplinkTest {

    private static final String METER = "62124022447";

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
    void everyStoredRowReachesTheBrokerOnceOnTheIntervalDataTopic() throws Exception {
        UplinkRig.requireBroker(false);
        MosquittoBroker broker = MosquittoBroker.builder(dir.resolve("broker")).build().start();
        closing.add(broker);
        MosquittoSubscriber hes = MosquittoSubscriber.builder(broker.port(), "gateways/gw-lp/meters/+/interval-data")
                .qos(1).mqtt5().build().start();
        closing.add(hes);
        DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0).serialNumber(METER)
                .build().start();
        closing.add(sim);
        Gateway gateway = Gateway.start(ConfigLoader.loadYaml("""
                server: {port: 0}
                gateway-id: gw-lp
                state-dir: "%s"
                storage: {commit-interval: 100ms}
                uplink: {mqtt: {url: "mqtt://127.0.0.1:%d", format: json}}
                buses: [{name: lan, type: dlms-tcp, host: 127.0.0.1, port: %d, timeout: 5s}]
                devices:
                  - meter-no: "%s"
                    bus: lan
                    profile: dlms-standard
                    interval: 10s
                    load-profiles: [{obis: 1.0.99.1.0.255, every: 15m, backfill: 2h}]
                """.formatted(dir.resolve("gw"), broker.port(), sim.port(), METER), "uplink-lp.yaml", dir),
                new ProtocolConnector(), Clock.systemUTC());
        closing.add(gateway);

        List<MosquittoSubscriber.Message> got = hes.awaitCount(8, Duration.ofSeconds(30));
        Set<Long> ids = new HashSet<>();
        Instant previous = Instant.EPOCH;
        for (MosquittoSubscriber.Message m : got) {
            assertEquals("gateways/gw-lp/meters/" + METER + "/interval-data", m.topic());
            JsonObject row = Json.createReader(new StringReader(m.text())).readObject();
            assertEquals("1.0.99.1.0.255", row.getString("profile"));
            assertEquals(METER, row.getString("meterNo"));
            assertTrue(row.containsKey("Import active energy"), row.toString());
            assertTrue(ids.add(row.getJsonNumber("_id").longValue()), "each row once: " + row);
            Instant captured = Instant.parse(row.getString("timestamp"));
            assertEquals(0, captured.getEpochSecond() % 900, "the capture time, on a quarter hour: " + captured);
            assertTrue(captured.isAfter(previous), "in capture order");
            previous = captured;
        }
        assertTrue(got.size() <= 9, "two hours of quarter hours, no more: " + got.size());
    }
}
