package io.edgegateway.uplink;

import io.edgegateway.testing.MosquittoBroker;
import io.edgegateway.testing.MosquittoSubscriber;
import jakarta.json.Json;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Store-and-forward against a real Mosquitto, as the issue puts it: a JSON gateway and a Sparkplug B gateway publish
 * to one broker, each read by a mosquitto_sub with a persistent session. The broker stops for 60 s; during the outage
 * both gateways are killed with SIGKILL and started again; then the broker comes back. Each subscriber must end with
 * every event the gateway stored, from before, during and after the outage, with no gap. Only what the kill took
 * before it was committed is not in the file, and such events were never sent either: the broker was away.
 */
@Timeout(300)
class UplinkStoreAndForwardTest {

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
    void everyEventReachesThePersistentSubscriberAcrossABrokerOutageAndAKill() throws Exception {
        UplinkRig.requireBroker(false);
        MosquittoBroker broker = MosquittoBroker.builder(dir.resolve("broker")).user("gw", UplinkRig.PASSWORD)
                .user("hes", "hes-password-1").build().start();
        closing.add(broker);
        UplinkRig rig = new UplinkRig(dir);
        closing.add(rig);
        MosquittoSubscriber json = subscriber(broker, "hes-json", "fleet/gw-json/#");
        MosquittoSubscriber spb = subscriber(broker, "hes-spb", "spBv1.0/plant-a/#");
        String url = "mqtt://127.0.0.1:" + broker.port();
        UplinkRig.Gateway gwJson = rig.gateway("gw-json", "{url: \"" + url + "\", username: gw, password-env: MQTT_PASSWORD,"
                + " topic-prefix: fleet/gw-json}").start();
        UplinkRig.Gateway gwSpb = rig.gateway("gw-spb", "{url: \"" + url + "\", username: gw, password-env: MQTT_PASSWORD,"
                + " format: sparkplug-b, group-id: plant-a}").start();

        json.await(m -> readings(m).size() >= 10, Duration.ofSeconds(30));
        spb.await(m -> sparkplugIds(m).size() >= 10, Duration.ofSeconds(30));

        broker.stop();
        gwJson.awaitUplink(u -> u.getString("status").equals("DISCONNECTED"), Duration.ofSeconds(20), "DISCONNECTED");
        Thread.sleep(20_000);
        assertTrue(gwJson.uplink().getJsonNumber("backlog").longValue() > 0, "events wait while the broker is away");
        gwJson.process.kill();
        gwSpb.process.kill();
        gwJson.start();
        gwSpb.start();
        var down = gwJson.awaitUplink(u -> u.getString("status").equals("DISCONNECTED"), Duration.ofSeconds(20),
                "DISCONNECTED after the restart");
        assertTrue(down.getString("reason").contains("nothing accepts connections"), down.toString());
        assertEquals("DEGRADED", gwJson.health().getString("status"), "a gateway whose broker is away is degraded");
        Thread.sleep(35_000); // 60 s of outage in all
        broker.start();

        for (UplinkRig.Gateway g : List.of(gwJson, gwSpb)) {
            g.awaitUplink(u -> u.getString("status").equals("CONNECTED") && u.getJsonNumber("backlog").longValue() == 0,
                    Duration.ofSeconds(90), "CONNECTED with nothing left to send");
        }
        Thread.sleep(3000); // live events after the drain
        // What the drain replayed did not overwrite the retained view: a newcomer sees every meter as it is now.
        MosquittoSubscriber newcomer = MosquittoSubscriber.builder(broker.port(), "fleet/gw-json/meters/+/status")
                .credentials("hes", "hes-password-1").qos(1).mqtt5().build().start();
        closing.add(newcomer);
        newcomer.await(m -> m.stream().filter(MosquittoSubscriber.Message::retained).count() >= 2, Duration.ofSeconds(10));
        newcomer.messages().stream().filter(MosquittoSubscriber.Message::retained).forEach(m -> assertTrue(
                m.text().contains("\"CONNECTED\""), "retained " + m.topic() + ": " + m.text()));
        for (UplinkRig.Gateway g : List.of(gwJson, gwSpb)) {
            // one gap a kill: the ids the killed run had reserved, counted once however often a drain crosses it
            assertTrue(g.uplink().getInt("gaps") <= 1, g.uplink().toString());
        }
        gwJson.process.stop();
        gwSpb.process.stop();
        Thread.sleep(1000);

        Set<Long> gotJson = new TreeSet<>(readings(json.messages()));
        gotJson.addAll(eventIds(json.messages(), "/status"));
        assertTrue(!json.diagnostics().contains("not understood") && !spb.diagnostics().contains("not understood"),
                "every line of mosquitto_sub parsed:\n" + json.diagnostics() + "\n" + spb.diagnostics());
        assertReceivedEveryStoredEvent("json", gwJson.storedEvents(), gotJson, Set.of(1L, 2L, 3L));
        // Sparkplug: readings are DBIRTH or DDATA; a status event becomes a message only when it is a DDEATH.
        assertReceivedEveryStoredEvent("sparkplug-b", gwSpb.storedEvents(), sparkplugIds(spb.messages()), Set.of(1L, 2L));
        assertSparkplugPayloadsDecode(spb.messages());
    }

    private MosquittoSubscriber subscriber(MosquittoBroker broker, String id, String topic) throws Exception {
        MosquittoSubscriber s = MosquittoSubscriber.builder(broker.port(), topic).persistent(id).qos(1).mqtt5()
                .credentials("hes", "hes-password-1").build().start();
        closing.add(s);
        return s;
    }

    /** The {@code _id} of every reading message, as a dashboard reads it from the JSON. */
    private static List<Long> readings(List<MosquittoSubscriber.Message> messages) {
        return messages.stream().filter(m -> m.topic().endsWith("/reading"))
                .map(m -> Json.createReader(new StringReader(m.text())).readObject().getJsonNumber("_id").longValue())
                .toList();
    }

    /** The MQTT 5 user property event-id of the messages whose topic ends with {@code suffix}. */
    private static Set<Long> eventIds(List<MosquittoSubscriber.Message> messages, String suffix) {
        return messages.stream().filter(m -> m.topic().endsWith(suffix) && m.userProperties().containsKey("event-id"))
                .map(m -> Long.parseLong(m.userProperties().get("event-id"))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Long> sparkplugIds(List<MosquittoSubscriber.Message> messages) {
        return messages.stream().filter(m -> m.topic().contains("/DBIRTH/") || m.topic().contains("/DDATA/"))
                .filter(m -> m.userProperties().containsKey("event-id"))
                .map(m -> Long.parseLong(m.userProperties().get("event-id"))).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Every stored event of {@code kinds} from the first one the subscriber got to the last is among what it got.
     * Before the first: events published before its session existed (the gateway's first start begins at its newest).
     */
    private static void assertReceivedEveryStoredEvent(String format, List<long[]> stored, Set<Long> received,
                                                       Set<Long> kinds) {
        long first = received.stream().mapToLong(Long::longValue).min().orElseThrow();
        List<Long> expected = stored.stream().filter(e -> kinds.contains(e[1]) && e[0] >= first).map(e -> e[0]).toList();
        List<Long> missing = expected.stream().filter(id -> !received.contains(id)).toList();
        assertTrue(expected.size() > 100, format + ": too few events to prove anything: " + expected.size());
        assertEquals(List.of(), missing.subList(0, Math.min(20, missing.size())), format + ": " + missing.size() + " of "
                + expected.size() + " stored events never reached the subscriber (the first 20 shown; the newest stored is "
                + expected.getLast() + ")");
    }

    /**
     * Every Sparkplug message decodes with Tahu's classes, seq stays within 0..255, and what was drained from the
     * store after the outage is marked historical.
     */
    private static void assertSparkplugPayloadsDecode(List<MosquittoSubscriber.Message> messages) throws Exception {
        int births = 0;
        int historical = 0;
        for (MosquittoSubscriber.Message m : messages) {
            SparkplugBProto.Payload p = SparkplugBProto.Payload.parseFrom(m.payload());
            if (m.topic().contains("/DDATA/") && p.getMetricsList().stream().allMatch(x -> x.getIsHistorical())) {
                historical++;
            }
            if (m.topic().contains("/NBIRTH/")) {
                births++;
                assertEquals(0, p.getSeq(), "NBIRTH starts seq at 0");
            }
            if (!m.topic().contains("/NDEATH/")) {
                assertTrue(p.hasSeq() && p.getSeq() <= 255, m.topic());
            }
        }
        assertTrue(births >= 2, "a birth before and after the restart, got " + births);
        assertTrue(historical > 100, "the outage's readings come as historical DDATA, got " + historical);
    }
}
